package dev.labbook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunInfo;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.NewRun;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The read side, on one database seeded before the server starts: runs/search over 25,000 runs
 * (a metric filter, an order, 1,000 results) and get-history-bulk-interval on a run with a
 * 1,000,000-point metric (320 points, what MLflow's charts ask for). Latency is measured at the
 * client, from sending the request to having read the whole answer.
 */
final class QueryBench {
    static final int RUNS = 25_000;
    static final int CHART_POINTS = 1_000_000;
    static final String SEARCH_FILTER = "metrics.acc > 0.5";

    private QueryBench() {}

    static void run(Options o, Path work, Report report) throws Exception {
        String uri = o.storeUri(work, "query.db");
        String experimentId;
        String chartRun;
        long t0 = System.nanoTime();
        try (Database db = Database.open(uri)) {
            JdbcTrackingStore store = new JdbcTrackingStore(db);
            // a name of its own, so that a given database can be benchmarked more than once
            experimentId = store.createExperiment("bench-search-" + System.currentTimeMillis(), null, List.of());
            if (o.runs("search")) {
                seedRuns(db, Long.parseLong(experimentId));
                System.out.printf("search: seeded %,d runs in %.1f s%n", RUNS, (System.nanoTime() - t0) / 1e9);
            }
            chartRun = null;
            if (o.runs("bulk")) {
                t0 = System.nanoTime();
                chartRun = seedChart(store);
                System.out.printf("bulk-interval: logged %,d points through the store in %.1f s%n", CHART_POINTS,
                        (System.nanoTime() - t0) / 1e9);
            }
            store.close();
        }
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, uri, work.resolve("query-artifacts"));
        try (LabbookServer server = LabbookServer.start(cfg)) {
            Http http = new Http(server.port());
            if (chartRun != null) {
                bulk(o, http, chartRun, report);
            }
            if (o.runs("search")) {
                search(o, http, experimentId, report);
            }
        }
    }

    // ---------------------------------------------------------------- search

    private static void search(Options o, Http http, String experimentId, Report report) throws Exception {
        byte[] body = ("{\"experiment_ids\":[\"" + experimentId + "\"],\"filter\":\"" + SEARCH_FILTER
                + "\",\"order_by\":[\"metrics.acc DESC\"],\"max_results\":1000}").getBytes(StandardCharsets.UTF_8);
        int warm = o.reps(10, 3);
        int reps = o.reps(25, 7);
        System.out.printf("search: %s, order by metrics.acc DESC, 1000 results; %d warm-up, %d timed%n",
                SEARCH_FILTER, warm, reps);
        long t = System.nanoTime();
        checkSearch(Http.ok(http.post("/api/2.0/mlflow/runs/search", body), "runs/search"));
        double first = (System.nanoTime() - t) / 1e6;
        for (int i = 1; i < warm; i++) {
            checkSearch(Http.ok(http.post("/api/2.0/mlflow/runs/search", body), "runs/search"));
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            var res = http.post("/api/2.0/mlflow/runs/search", body);
            ms.add((System.nanoTime() - s) / 1e6);
            checkSearch(Http.ok(res, "runs/search"));
        }
        Samples s = Samples.of(ms);
        report.add(new Report.Row("runs/search over 25,000 runs: metric filter, order by metric, 1,000 results",
                "<= 50 ms", Report.millis(s.median()), Report.millisSpread(s), s.count(),
                s.median() <= 50 ? Report.Verdict.PASS : Report.Verdict.FAIL, null));
        report.note(String.format(java.util.Locale.ROOT, "the first search after start-up took %s", Report.millis(first)));
    }

    private static void checkSearch(JsonNode answer) {
        JsonNode runs = answer.path("runs");
        if (runs.size() != 1000 || answer.path("next_page_token").isMissingNode()) {
            throw new IllegalStateException("search returned " + runs.size() + " runs, expected 1000 and a next page");
        }
        double prev = Double.POSITIVE_INFINITY;
        for (JsonNode run : runs) {
            double acc = Double.NaN;
            for (JsonNode m : run.path("data").path("metrics")) {
                if (m.path("key").asText().equals("acc")) {
                    acc = m.path("value").asDouble();
                }
            }
            if (!(acc > 0.5) || acc > prev) {
                throw new IllegalStateException("search results are not filtered and ordered by acc: " + acc + " after " + prev);
            }
            prev = acc;
        }
    }

    /**
     * 25,000 finished runs, each with 3 params, 4 tags and 3 metrics (one point each), written
     * with plain SQL in one transaction: logging them through the API would take minutes and is
     * not what is measured here.
     */
    private static void seedRuns(Database db, long experimentId) {
        Random rnd = new Random(42);
        db.write(h -> {
            Connection c = h.getConnection();
            // keys after those of a database that already has runs (a --backend-store-uri)
            long runBase = h.createQuery("SELECT COALESCE(MAX(run_pk), 0) FROM runs").mapTo(Long.class).one();
            long seriesBase = h.createQuery("SELECT COALESCE(MAX(series_id), 0) FROM metric_series").mapTo(Long.class).one();
            try (PreparedStatement runs = c.prepareStatement("INSERT INTO runs (run_pk, run_uuid, experiment_id, name,"
                    + " user_id, status, start_time, end_time, artifact_uri, lifecycle_stage) VALUES (?, ?, ?, ?, ?, 'FINISHED', ?, ?, ?, 'active')");
                    PreparedStatement params = c.prepareStatement("INSERT INTO params (run_pk, key, value) VALUES (?, ?, ?)");
                    PreparedStatement tags = c.prepareStatement("INSERT INTO tags (run_pk, key, value) VALUES (?, ?, ?)");
                    PreparedStatement series = c.prepareStatement("INSERT INTO metric_series (series_id, run_pk, key, step, timestamp, value, is_nan)"
                            + " VALUES (?, ?, ?, ?, ?, ?, 0)");
                    PreparedStatement points = c.prepareStatement("INSERT INTO metric_points (series_id, step, timestamp, value, is_nan)"
                            + " VALUES (?, ?, ?, ?, 0)")) {
                String[] optimizers = {"adam", "sgd", "adamw"};
                String[] metricKeys = {"acc", "loss", "f1"};
                long seriesId = seriesBase + 1;
                for (int i = 0; i < RUNS; i++) {
                    long pk = runBase + i + 1;
                    String uuid = String.format("%016x%016x", runBase, (long) i * 2_654_435_761L + 1);
                    String name = "run-" + i;
                    long start = Workload.T0 + i * 60_000L;
                    runs.setLong(1, pk);
                    runs.setString(2, uuid);
                    runs.setLong(3, experimentId);
                    runs.setString(4, name);
                    runs.setString(5, "bench");
                    runs.setLong(6, start);
                    runs.setLong(7, start + 3_600_000L);
                    runs.setString(8, "mlflow-artifacts:/" + experimentId + "/" + uuid + "/artifacts");
                    runs.addBatch();
                    String[][] ps = {{"lr", Double.toString(Math.pow(10, -1 - rnd.nextInt(4)))},
                            {"batch_size", Integer.toString(32 << rnd.nextInt(4))},
                            {"optimizer", optimizers[rnd.nextInt(optimizers.length)]}};
                    for (String[] p : ps) {
                        params.setLong(1, pk);
                        params.setString(2, p[0]);
                        params.setString(3, p[1]);
                        params.addBatch();
                    }
                    String[][] ts = {{"mlflow.runName", name}, {"mlflow.user", "bench"},
                            {"mlflow.source.type", "LOCAL"}, {"mlflow.source.name", "train.py"}};
                    for (String[] t : ts) {
                        tags.setLong(1, pk);
                        tags.setString(2, t[0]);
                        tags.setString(3, t[1]);
                        tags.addBatch();
                    }
                    double acc = rnd.nextDouble();
                    double[] values = {acc, 1 - acc + rnd.nextDouble() * 0.1, acc * 0.9};
                    for (int k = 0; k < metricKeys.length; k++) {
                        series.setLong(1, seriesId);
                        series.setLong(2, pk);
                        series.setString(3, metricKeys[k]);
                        series.setLong(4, 10);
                        series.setLong(5, start + 3_000_000L);
                        series.setDouble(6, values[k]);
                        series.addBatch();
                        points.setLong(1, seriesId);
                        points.setLong(2, 10);
                        points.setLong(3, start + 3_000_000L);
                        points.setDouble(4, values[k]);
                        points.addBatch();
                        seriesId++;
                    }
                    if (i % 1000 == 999) {
                        runs.executeBatch();
                        params.executeBatch();
                        tags.executeBatch();
                        series.executeBatch();
                        points.executeBatch();
                    }
                }
                runs.executeBatch();
                params.executeBatch();
                tags.executeBatch();
                series.executeBatch();
                points.executeBatch();
                // the keys were given: the database's own key counters must move past them
                for (String[] key : new String[][] {{"runs", "run_pk"}, {"metric_series", "series_id"}}) {
                    for (String sql : db.dialect().afterKeyedInserts(key[0], key[1])) {
                        try (java.sql.Statement st = c.createStatement()) {
                            st.execute(sql);
                        }
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- bulk interval

    /** One run whose "loss" has a million points, logged through the store 1000 at a time. */
    private static String seedChart(JdbcTrackingStore store) {
        RunInfo run = store.createRun(new NewRun("0", "bench", Workload.T0, "bench-chart", List.of()));
        Random rnd = new Random(7);
        for (int b = 0; b < CHART_POINTS / 1000; b++) {
            List<Metric> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                long step = b * 1000L + i;
                double v = Math.exp(-step / 200_000.0) + rnd.nextGaussian() * 0.01;
                batch.add(new Metric("loss", v, Workload.timestamp(step), step));
            }
            store.logBatch(run.runId(), batch, List.of(), List.of());
        }
        return run.runId();
    }

    private static void bulk(Options o, Http http, String runId, Report report) throws Exception {
        String query = "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=" + runId + "&metric_key=loss&max_results=320";
        long t = System.nanoTime();
        checkBulk(Http.ok(http.get(query), "bulk-interval"), 0, CHART_POINTS - 1);
        double first = (System.nanoTime() - t) / 1e6;
        System.out.printf("bulk-interval: first (cold) call %s%n", Report.millis(first));
        int warm = o.reps(10, 3);
        int reps = o.reps(30, 10);
        for (int i = 0; i < warm; i++) {
            checkBulk(Http.ok(http.get(query), "bulk-interval"), 0, CHART_POINTS - 1);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            var res = http.get(query);
            ms.add((System.nanoTime() - s) / 1e6);
            checkBulk(Http.ok(res, "bulk-interval"), 0, CHART_POINTS - 1);
        }
        Samples s = Samples.of(ms);
        report.add(new Report.Row("get-history-bulk-interval, 1,000,000-point metric, 320 points", "<= 50 ms",
                Report.millis(s.median()), Report.millisSpread(s), s.count(),
                s.median() <= 50 ? Report.Verdict.PASS : Report.Verdict.FAIL, null));
        // A chart of a live run: every log-batch to the series drops it from the cache.
        int coldReps = o.reps(5, 3);
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < coldReps; i++) {
            long step = CHART_POINTS + i;
            Http.ok(http.post("/api/2.0/mlflow/runs/log-batch", ("{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"loss\",\"value\":0.5,"
                    + "\"timestamp\":" + Workload.timestamp(step) + ",\"step\":" + step + "}]}").getBytes(StandardCharsets.UTF_8)), "log-batch");
            long s0 = System.nanoTime();
            var res = http.get(query);
            cold.add((System.nanoTime() - s0) / 1e6);
            checkBulk(Http.ok(res, "bulk-interval"), 0, step);
        }
        Samples c = Samples.of(cold);
        report.add(new Report.Row("get-history-bulk-interval, same, first call after a write (series not cached)", "- (reported)",
                Report.millis(c.median()), Report.millisSpread(c), c.count(), Report.Verdict.INFO,
                "(first call after start-up: " + Report.millis(first) + ")"));
    }

    private static void checkBulk(JsonNode answer, long firstStep, long lastStep) {
        JsonNode ms = answer.path("metrics");
        if (ms.size() < 2 || ms.size() > 320) {
            throw new IllegalStateException("bulk-interval returned " + ms.size() + " points, expected 2..320");
        }
        long a = ms.get(0).path("step").asLong();
        long b = ms.get(ms.size() - 1).path("step").asLong();
        if (a != firstStep || b != lastStep) {
            throw new IllegalStateException("bulk-interval spans steps " + a + ".." + b + ", expected " + firstStep + ".." + lastStep);
        }
    }
}
