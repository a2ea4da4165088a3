package dev.labbook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Log-batch ingestion and search through two tracking URIs that front the same database, one
 * replica and two replicas behind a load balancer, measured alternately:
 * {@code ReplicaBench --one=http://HOST:PORT --two=http://HOST:PORT [--runs=25000] [--search-experiment=ID]}
 * (the experiment a previous run seeded, to measure again without seeding). Unlike
 * {@link Bench} it starts no server: the deployment is the one under test (see the README's
 * reference deployment). Every answer must be 200, every point sent must be read back, and the
 * search must return the same 1,000 runs in the same order through both.
 */
public final class ReplicaBench {
    private static final String FILTER = "metrics.loss < 0.5";

    private ReplicaBench() {}

    public static void main(String[] args) throws Exception {
        String one = null;
        String two = null;
        int runs = 25_000;
        String seeded = null; // an experiment a previous run seeded with --runs runs
        for (String a : args) {
            if (a.startsWith("--one=")) {
                one = a.substring(6);
            } else if (a.startsWith("--two=")) {
                two = a.substring(6);
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--search-experiment=")) {
                seeded = a.substring("--search-experiment=".length());
            } else {
                throw new IllegalArgumentException("usage: ReplicaBench --one=URI --two=URI [--runs=N] [--search-experiment=ID]; got " + a);
            }
        }
        if (one == null || two == null) {
            throw new IllegalArgumentException("usage: ReplicaBench --one=URI --two=URI [--runs=N]");
        }
        Http viaOne = new Http(URI.create(one));
        Http viaTwo = new Http(URI.create(two));
        String suffix = Long.toString(System.currentTimeMillis(), 36);

        String searchExp = seeded;
        if (searchExp == null) {
            searchExp = viaTwo.call("/api/2.0/mlflow/experiments/create", "{\"name\":\"replica-bench-search-" + suffix + "\"}")
                    .get("experiment_id").asText();
            long t0 = System.nanoTime();
            seed(viaTwo, searchExp, runs);
            System.out.printf(Locale.ROOT, "seeded %,d runs through %s in %.1f s (experiment %s)%n", runs, two,
                    (System.nanoTime() - t0) / 1e9, searchExp);
        }
        byte[] search = ("{\"experiment_ids\":[\"" + searchExp + "\"],\"filter\":\"" + FILTER
                + "\",\"order_by\":[\"metrics.acc DESC\"],\"max_results\":1000}").getBytes(StandardCharsets.UTF_8);
        List<String> expected = ids(Http.ok(viaOne.post("/api/2.0/mlflow/runs/search", search), "search"));
        List<Double> s1 = new ArrayList<>();
        List<Double> s2 = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            double a = timedSearch(viaOne, search, expected);
            double b = timedSearch(viaTwo, search, expected);
            if (i >= 5) {
                s1.add(a);
                s2.add(b);
            }
        }
        System.out.printf(Locale.ROOT, "search over %,d runs (%s, order by metrics.acc DESC, 1000 results, identical through both):"
                + " one replica %s, two replicas %s%n", runs, FILTER, ms(Samples.of(s1)), ms(Samples.of(s2)));

        String ingestExp = viaTwo.call("/api/2.0/mlflow/experiments/create", "{\"name\":\"replica-bench-ingest-" + suffix + "\"}")
                .get("experiment_id").asText();
        for (int clients : new int[] {1, 8}) {
            int batches = clients == 1 ? 200 : 40;
            List<Double> r1 = new ArrayList<>();
            List<Double> r2 = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                double a = ingest(viaOne, ingestExp, clients, batches);
                double b = ingest(viaTwo, ingestExp, clients, batches);
                if (rep > 0) { // the first round warms up both paths
                    r1.add(a);
                    r2.add(b);
                }
            }
            System.out.printf(Locale.ROOT, "log-batch ingestion, %d client(s), 1000 metrics per request, all points read back:"
                    + " one replica %s, two replicas %s%n", clients, rate(Samples.of(r1)), rate(Samples.of(r2)));
        }
        System.out.println("errors: 0 (any non-200 answer or missing point stops the bench)");
        System.exit(0);
    }

    /** Creates {@code n} runs with loss, acc and a param, from 8 threads. */
    private static void seed(Http http, String exp, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        String run = http.createRun(exp, "r" + i);
                        double loss = ((i * 7919L) % 1000) / 1000.0;
                        double acc = ((i * 104729L) % 100_003) / 100_003.0;
                        http.call("/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"loss\",\"value\":"
                                + loss + ",\"timestamp\":1,\"step\":0},{\"key\":\"acc\",\"value\":" + acc
                                + ",\"timestamp\":1,\"step\":0}],\"params\":[{\"key\":\"i\",\"value\":\"" + i + "\"}]}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double timedSearch(Http http, byte[] body, List<String> expected) throws Exception {
        long t = System.nanoTime();
        HttpResponse<byte[]> res = http.post("/api/2.0/mlflow/runs/search", body);
        double millis = (System.nanoTime() - t) / 1e6;
        List<String> got = ids(Http.ok(res, "search"));
        if (!got.equals(expected) || got.size() != 1000) {
            throw new IllegalStateException("search answered other runs (" + got.size() + ") than through the other URI");
        }
        return millis;
    }

    private static List<String> ids(JsonNode search) {
        List<String> out = new ArrayList<>();
        search.path("runs").forEach(r -> out.add(r.path("info").path("run_id").asText()));
        return out;
    }

    /** One round: each client logs {@code batches} batches to a run of its own; points per second, all read back. */
    private static double ingest(Http http, String exp, int clients, int batches) throws Exception {
        String[] runs = new String[clients];
        byte[][][] bodies = new byte[clients][batches][];
        for (int c = 0; c < clients; c++) {
            runs[c] = http.createRun(exp, "ingest-" + c);
            for (int b = 0; b < batches; b++) {
                bodies[c][b] = Workload.logBatchBody(runs[c], b);
            }
        }
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            byte[][] mine = bodies[c];
            threads[c] = new Thread(() -> {
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
            });
            threads[c].start();
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("log-batch failed: " + failure.get());
        }
        for (String run : runs) {
            for (String key : Workload.KEY_NAMES) {
                JsonNode h = Http.ok(http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key="
                        + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8) + "&max_results=25000"), "get-history");
                int n = h.path("metrics").size();
                if (n != batches * Workload.STEPS_PER_BATCH) {
                    throw new IllegalStateException(run + " " + key + ": " + n + " points, sent " + batches * Workload.STEPS_PER_BATCH);
                }
            }
        }
        return (double) clients * batches * Workload.POINTS_PER_BATCH / secs;
    }

    private static String ms(Samples s) {
        return String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f, n=%d)", s.median(), s.min(), s.max(), s.count());
    }

    private static String rate(Samples s) {
        return String.format(Locale.ROOT, "%,.0f points/s (%,.0f-%,.0f, n=%d)", s.median(), s.min(), s.max(), s.count());
    }
}
