package dev.labbook.bench;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import dev.labbook.store.jdbc.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end ingestion: a real server (port 0, a fresh SQLite file or the --backend-store-uri
 * database) and N client threads, each
 * posting pre-built log-batch bodies of 1000 metrics to its own run with the JDK HttpClient.
 * Points per second is all points over the wall time from the first send to the last answer.
 * A repetition counts only when every answer was 200 and the database holds exactly the points
 * sent.
 */
final class IngestBench {
    private static byte[][] templates;

    private IngestBench() {}

    static void run(Options o, Path work, Report report, double rawRate) throws Exception {
        String uri = o.storeUri(work, "ingest.db");
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, uri, work.resolve("ingest-artifacts"));
        try (LabbookServer server = LabbookServer.start(cfg); Database file = Database.open(uri)) {
            Http http = new Http(server.port());
            // The bodies of batch 0, 1, 2, ... are built once, before anything is timed or warmed
            // up, and copied with each run's id: no JIT compilation of body building competes
            // with the server during the timed part.
            templates = new byte[Math.max(o.reps(500, 200), o.reps(64, 25))][];
            for (int b = 0; b < templates.length; b++) {
                templates[b] = Workload.logBatchBody("0".repeat(32), b);
            }
            System.out.println("ingestion: warm-up");
            round(http, file, 1, o.reps(400, 150), "warm");
            round(http, file, 8, o.reps(50, 20), "warm");
            round(http, file, 1, o.reps(200, 50), "warm");
            for (int clients : new int[] {1, 8}) {
                int perClient = clients == 1 ? o.reps(500, 200) : o.reps(64, 25);
                int reps = o.reps(5, 2);
                System.out.printf("ingestion, %d client(s): %d x %d points%n", clients, reps,
                        clients * perClient * Workload.POINTS_PER_BATCH);
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < reps; r++) {
                    double rate = round(http, file, clients, perClient, "c" + clients + "r" + r);
                    rates.add(rate);
                    System.out.printf("  rep %d: %s%n", r + 1, Report.rate(rate, "points"));
                }
                Samples s = Samples.of(rates);
                double floor = Math.max(300_000, rawRate / 2);
                boolean pass = s.median() >= 300_000 && (Double.isNaN(rawRate) || s.median() >= rawRate / 2);
                String target = Double.isNaN(rawRate) ? ">= 300k points/s"
                        : String.format(Locale.ROOT, ">= 300k points/s and >= raw/2 (%.0fk); here >= %.0fk",
                                rawRate / 2e3, floor / 1e3);
                String note = Double.isNaN(rawRate) ? null
                        : String.format(Locale.ROOT, "(%.0f%% of raw)", 100 * s.median() / rawRate);
                report.add(new Report.Row("log-batch ingestion, " + clients + (clients == 1 ? " client" : " clients")
                        + " (1000 metrics per request)", target, Report.rate(s.median(), "points"),
                        Report.rateSpread(s), s.count(), pass ? Report.Verdict.PASS : Report.Verdict.FAIL, note));
            }
        }
    }

    /** One timed round; returns points per second after checking that all points are stored. */
    static double round(Http http, Database file, int clients, int batchesPerClient, String tag) throws Exception {
        String[] runIds = new String[clients];
        byte[][][] bodies = new byte[clients][batchesPerClient][];
        for (int c = 0; c < clients; c++) {
            runIds[c] = http.createRun("0", "ingest-" + tag + "-" + c);
            for (int b = 0; b < batchesPerClient; b++) {
                bodies[c][b] = Workload.withRunId(templates[b], runIds[c]);
            }
        }
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            byte[][] mine = bodies[c];
            threads[c] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (byte[] body : mine) {
                        HttpResponse<byte[]> res = http.post("/api/2.0/mlflow/runs/log-batch", body);
                        if (res.statusCode() != 200) {
                            failure.compareAndSet(null, res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
                            return;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e.toString());
                }
            }, "bench-client-" + c);
            threads[c].start();
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("log-batch failed: " + failure.get());
        }
        long sent = (long) clients * batchesPerClient * Workload.POINTS_PER_BATCH;
        long stored = storedPoints(file, runIds);
        if (stored != sent) {
            throw new IllegalStateException("sent " + sent + " points but the store holds " + stored);
        }
        return sent / secs;
    }

    /** Counts the stored points of the runs straight from the database, around the server. */
    static long storedPoints(Database db, String[] runIds) throws Exception {
        String marks = "?" + ",?".repeat(runIds.length - 1);
        return db.read(h -> {
            try {
                return count(h.getConnection(), marks, runIds);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long count(Connection c, String marks, String[] runIds) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM metric_points p"
                + " JOIN metric_series s ON s.series_id = p.series_id JOIN runs r ON r.run_pk = s.run_pk"
                + " WHERE r.run_uuid IN (" + marks + ")")) {
            for (int i = 0; i < runIds.length; i++) {
                ps.setString(i + 1, runIds[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
