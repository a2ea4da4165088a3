package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.store.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two replicas, two {@link LabbookServer}s with their own pools, caches and live-update pollers,
 * on one database and one artifact folder, driven alternately: whatever is written through one is
 * read at once through the other (runs, search, the runs table, charts, the registry's aliases,
 * live updates), and writers through both at once lose nothing.
 */
class TwoReplicasTest {
    private static Path dataDir;
    private static LabbookServer serverA;
    private static LabbookServer serverB;
    private static RawHttp a;
    private static RawHttp b;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("labbook-replicas-");
        // one database (an SQLite file, or PostgreSQL with -Dlabbook.test.db=postgresql), one artifact folder
        ServerConfig shared = new ServerConfig("127.0.0.1", 0, TestDatabases.uri(dataDir), dataDir.resolve("artifacts"));
        serverA = LabbookServer.start(shared);
        serverB = LabbookServer.start(shared);
        a = new RawHttp("http://127.0.0.1:" + serverA.port());
        b = new RawHttp("http://127.0.0.1:" + serverB.port());
    }

    @AfterAll
    static void stop() {
        try {
            if (serverA != null) {
                serverA.close();
            }
        } finally {
            if (serverB != null) {
                serverB.close();
            }
            TestServer.deleteRecursively(dataDir);
        }
    }

    @Test
    void writesThroughOneReplicaAreReadThroughTheOther() {
        String exp = a.createExperiment("replicas-visibility");
        assertEquals(exp, b.get("experiments/get-by-name", "experiment_name", "replicas-visibility").ok()
                .get("experiment").get("experiment_id").asText());
        b.post("experiments/update", Map.of("experiment_id", exp, "new_name", "replicas-renamed")).ok();
        assertEquals("replicas-renamed", a.get("experiments/get", "experiment_id", exp).ok().get("experiment").get("name").asText());

        String run = b.createRun(exp, "alternating");
        a.post("runs/log-batch", Map.of("run_id", run,
                "metrics", List.of(metric("acc", 0.75, 1000, 1), metric("loss", 0.5, 1000, 1)),
                "params", List.of(kv("lr", "0.01")), "tags", List.of(kv("team", "nlp")))).ok();
        JsonNode seen = b.run(run).get("data");
        assertEquals(List.of("acc", "loss"), RawHttp.keys(seen.get("metrics")).stream().sorted().toList());
        assertEquals("0.01", seen.get("params").get(0).get("value").asText());

        JsonNode found = b.post("runs/search", Map.of("experiment_ids", List.of(exp), "filter", "metrics.acc > 0.5",
                "order_by", List.of("metrics.loss ASC"))).ok();
        assertEquals(run, found.get("runs").get(0).get("info").get("run_id").asText());

        b.post("runs/set-tag", Map.of("run_id", run, "key", "team", "value", "vision")).ok();
        assertEquals("vision", tag(a.run(run), "team"));
        a.post("runs/delete-tag", Map.of("run_id", run, "key", "team")).ok();
        assertEquals(null, tag(b.run(run), "team"));
        b.post("runs/update", Map.of("run_id", run, "status", "FINISHED", "end_time", 2000)).ok();
        assertEquals("FINISHED", a.run(run).get("info").get("status").asText());
        a.post("runs/delete", Map.of("run_id", run)).ok();
        assertEquals(0, b.post("runs/search", Map.of("experiment_ids", List.of(exp))).ok().path("runs").size());
    }

    @Test
    void theRunsTableAndChartsOfReplicaBFollowWritesThroughA() {
        String exp = a.createExperiment("replicas-table");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String run = a.createRun(exp, "r" + i);
            a.post("runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("acc", 0.1 * i, 1000, 0)),
                    "params", List.of(kv("i", Integer.toString(i))))).ok();
            runs.add(run);
        }
        // a search paged through A, then B: page tokens hold no replica's state
        JsonNode page1 = a.post("runs/search", Map.of("experiment_ids", List.of(exp), "max_results", 2,
                "order_by", List.of("metrics.acc DESC"))).ok();
        JsonNode page2 = b.post("runs/search", Map.of("experiment_ids", List.of(exp), "max_results", 10,
                "order_by", List.of("metrics.acc DESC"), "page_token", page1.get("next_page_token").asText())).ok();
        List<String> paged = new ArrayList<>();
        page1.get("runs").forEach(r -> paged.add(r.get("info").get("run_id").asText()));
        page2.get("runs").forEach(r -> paged.add(r.get("info").get("run_id").asText()));
        assertEquals(List.of(runs.get(4), runs.get(3), runs.get(2), runs.get(1), runs.get(0)), paged);

        // B reads (and caches) every run's cells
        JsonNode first = table(b, exp, null);
        assertEquals(0.2, cell(first, runs.get(2), "acc"), 1e-12);
        long seq = first.get("change_seq").asLong();

        // A changes one run's latest metric and another's tags: B's cached cells must not be served
        a.post("runs/log-batch", Map.of("run_id", runs.get(2), "metrics", List.of(metric("acc", 0.9, 2000, 1)))).ok();
        a.post("runs/set-tag", Map.of("run_id", runs.get(3), "key", "note", "value", "from A")).ok();
        JsonNode changed = table(b, exp, seq);
        Set<String> changedIds = new HashSet<>();
        changed.get("changed").forEach(n -> changedIds.add(n.asText()));
        assertTrue(changedIds.containsAll(List.of(runs.get(2), runs.get(3))), changed.toString());
        assertEquals(0.9, cell(changed, runs.get(2), "acc"), 1e-12);
        JsonNode whole = table(b, exp, null);
        assertEquals(0.9, cell(whole, runs.get(2), "acc"), 1e-12);
        assertEquals(0.0, cell(whole, runs.get(0), "acc"), 1e-12);
        assertEquals("from A", whole.get("rows").get(row(whole, runs.get(3))).get(column(whole, "tags", "note")).asText());

        // charts: B draws every point A logged, including those that extend the open block
        String run = runs.get(0);
        for (int batch = 0; batch < 5; batch++) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int i = 0; i < 450; i++) {
                long step = batch * 450L + i + 1;
                metrics.add(metric("curve", Math.sin(step / 50.0), 10_000 + step, step));
            }
            a.post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();
            JsonNode chart = b.get("metrics/get-history-bulk-interval", "run_ids", run, "metric_key", "curve",
                    "max_results", "2500").ok().get("metrics");
            assertEquals((batch + 1) * 450, chart.size(), "after batch " + batch);
            assertEquals((batch + 1) * 450L, chart.get(chart.size() - 1).get("step").asLong());
            JsonNode sampled = b.get("metrics/get-history-bulk-interval", "run_ids", run, "metric_key", "curve",
                    "max_results", "320").ok().get("metrics");
            assertEquals((batch + 1) * 450L, sampled.get(sampled.size() - 1).get("step").asLong(), "last point charted");
        }
    }

    @Test
    void aliasesMovedThroughOneReplicaResolveThroughTheOther() {
        a.post("registered-models/create", Map.of("name", "replicated")).ok();
        a.post("model-versions/create", Map.of("name", "replicated", "source", "s3://bucket/1")).ok();
        b.post("model-versions/create", Map.of("name", "replicated", "source", "s3://bucket/2")).ok();
        a.post("registered-models/alias", Map.of("name", "replicated", "alias", "champion", "version", "1")).ok();
        assertEquals("1", alias(b, "champion").ok().get("model_version").get("version").asText());
        b.post("registered-models/alias", Map.of("name", "replicated", "alias", "champion", "version", "2")).ok();
        assertEquals("2", alias(a, "champion").ok().get("model_version").get("version").asText());
        assertEquals("2", a.get("registered-models/get", "name", "replicated").ok()
                .get("registered_model").get("aliases").get(0).get("version").asText());
        a.send("DELETE", RawHttp.PREFIX + "registered-models/alias?name=replicated&alias=champion", null).ok();
        // as on one server: MLflow answers a missing alias with INVALID_PARAMETER_VALUE
        alias(b, "champion").error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDashboardOnReplicaBSeesWritesThroughA() throws Exception {
        String run = a.createRun("0", "live-across");
        a.post("runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("loss", 1.0, 1000, 0)))).ok();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverB.port()
                        + "/api/2.0/labbook/runs/stream?run_id=" + run))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            assertEquals("run", nextEvent(in)[0]);
            a.post("runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("loss", 0.5, 2000, 1), metric("loss", 0.25, 3000, 2)),
                    "tags", List.of(kv("phase", "warmup")))).ok();
            String[] event;
            do {
                event = nextEvent(in);
            } while (!event[0].equals("points"));
            JsonNode loss = RawHttp.JSON.readTree(event[1]).get("loss");
            assertEquals(2, loss.size(), event[1]);
            assertEquals(2, loss.get(1).get(0).asLong());
            do {
                event = nextEvent(in);
            } while (!(event[0].equals("run") && event[1].contains("warmup")));
            a.post("runs/update", Map.of("run_id", run, "status", "FINISHED", "end_time", 4000)).ok();
            do {
                event = nextEvent(in);
            } while (!event[0].equals("end"));
            assertTrue(event[1].contains("FINISHED"), event[1]);
        }
    }

    @Test
    void writersThroughBothReplicasAtOnceLoseNoPointAndNoLoggedModel() throws Exception {
        String exp = a.createExperiment("replicas-writers");
        String run = a.createRun(exp, "shared");
        String modelId = b.post("logged-models", Map.of("experiment_id", exp, "name", "shared-model", "source_run_id", run))
                .ok().get("model").get("info").get("model_id").asText();
        b.post("registered-models/create", Map.of("name", "from-logged")).ok();
        int writers = 6;
        int requests = 25;
        int points = 200;
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < requests; r++) {
                        RawHttp via = (thread + r) % 2 == 0 ? a : b; // each writer alternates replicas
                        List<Map<String, Object>> metrics = new ArrayList<>();
                        for (int i = 0; i < points; i++) {
                            long step = ((long) r * writers + thread) * points + i;
                            metrics.add(metric("shared", (double) step, 1_700_000_000_000L + step, step));
                        }
                        check(failures, via.post("runs/log-batch", Map.of("run_id", run, "metrics", metrics,
                                "params", List.of(kv("w" + thread + "r" + r, "x")))), "log-batch");
                        if (r < 3) {
                            String artifact = "model-" + thread + "-" + r;
                            check(failures, via.post("runs/log-model", Map.of("run_id", run, "model_json",
                                    "{\"run_id\": \"" + run + "\", \"artifact_path\": \"" + artifact + "\", \"utc_time_created\":"
                                            + " \"2026-12-04 19:00:00.000000\", \"flavors\": {}}")), "log-model");
                            check(failures, via.post("model-versions/create", Map.of("name", "from-logged",
                                    "source", "models:/" + modelId, "model_id", modelId)), "model-versions/create");
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), new ArrayList<>(failures));

        int total = writers * requests * points;
        for (RawHttp via : List.of(a, b)) {
            List<JsonNode> history = via.history(run, "shared");
            assertEquals(total, history.size(), "no point lost, none twice");
            BitSet steps = new BitSet(total);
            history.forEach(p -> steps.set((int) p.get("step").asLong()));
            assertEquals(total, steps.cardinality());
            JsonNode data = via.run(run).get("data");
            assertEquals(writers * requests, data.get("params").size());
            assertEquals(total - 1, data.get("metrics").get(0).get("step").asLong());
            JsonNode logged = RawHttp.JSON.readTree(tag(via.run(run), "mlflow.log-model.history"));
            assertEquals(writers * 3, logged.size(), "every log-model call is in the history");
            JsonNode chart = via.get("metrics/get-history-bulk-interval", "run_ids", run, "metric_key", "shared",
                    "max_results", "320").ok().get("metrics");
            assertEquals(0, chart.get(0).get("step").asLong());
            assertEquals(total - 1, chart.get(chart.size() - 1).get("step").asLong());
        }
        String versions = null;
        for (JsonNode t : a.get("logged-models/" + modelId).ok().get("model").get("info").get("tags")) {
            if (t.get("key").asText().equals("mlflow.modelVersions")) {
                versions = t.get("value").asText();
            }
        }
        JsonNode listed = RawHttp.JSON.readTree(versions);
        assertEquals(writers * 3, listed.size(), versions);
        Set<Long> numbers = new HashSet<>();
        listed.forEach(v -> numbers.add(v.get("version").asLong()));
        assertEquals(writers * 3, numbers.size(), versions);
    }

    // ------------------------------------------------------------------ helpers

    private static void check(Queue<String> failures, RawHttp.Response r, String what) {
        if (r.status() != 200) {
            failures.add(what + ": " + r.status() + " " + r.body());
        }
    }

    private static RawHttp.Response alias(RawHttp via, String alias) {
        return via.get("registered-models/alias", "name", "replicated", "alias", alias);
    }

    private static String tag(JsonNode run, String key) {
        for (JsonNode t : run.get("data").path("tags")) {
            if (t.get("key").asText().equals(key)) {
                return t.get("value").asText();
            }
        }
        return null;
    }

    private static JsonNode table(RawHttp via, String exp, Long since) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_ids", List.of(exp));
        if (since != null) {
            body.put("since_seq", since);
        }
        return via.send("POST", "/api/2.0/labbook/runs/table", RawHttp.write(body)).ok();
    }

    private static int row(JsonNode table, String runId) {
        JsonNode rows = table.get("rows");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).get(0).asText().equals(runId)) {
                return i;
            }
        }
        throw new AssertionError(runId + " not in " + table);
    }

    private static int column(JsonNode table, String kind, String key) {
        int at = table.get("attributes").size();
        for (String k : List.of("params", "metrics", "tags")) {
            JsonNode keys = table.get(k);
            for (int i = 0; i < keys.size(); i++) {
                if (k.equals(kind) && keys.get(i).asText().equals(key)) {
                    return at + i;
                }
            }
            at += keys.size();
        }
        throw new AssertionError(kind + "." + key + " not in " + table);
    }

    private static double cell(JsonNode table, String runId, String metric) {
        return RawHttp.number(table.get("rows").get(row(table, runId)).get(column(table, "metrics", metric)));
    }

    /** The next event's name and data. */
    private static String[] nextEvent(BufferedReader in) throws Exception {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (name != null) {
                    return new String[] {name, data.toString()};
                }
                continue;
            }
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        throw new AssertionError("stream ended");
    }
}
