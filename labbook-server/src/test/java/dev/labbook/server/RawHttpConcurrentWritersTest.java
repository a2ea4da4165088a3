package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many writers on one SQLite file: 16 threads each send 50 log-batch requests of 200 metrics,
 * half of them to the same run and the same metric, the others two by two to four more runs,
 * while readers search, read runs and chart. Every request must succeed (no 5xx, no
 * SQLITE_BUSY) and every point must be stored exactly once.
 */
class RawHttpConcurrentWritersTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final int WRITERS = 16;
    private static final int SHARED_WRITERS = 8;
    private static final int REQUESTS = 50;
    private static final int METRICS = 200;
    private static final int OTHER_RUNS = 4;
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void everyRequestSucceedsAndEveryPointIsStoredOnce() throws Exception {
        RawHttp http = server.http();
        String exp = http.createExperiment("concurrency");
        String shared = http.createRun(exp, "shared");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < OTHER_RUNS; i++) {
            others.add(http.createRun(exp, "other-" + i));
        }

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 3);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < REQUESTS; r++) {
                        RawHttp.Response resp = http.post("runs/log-batch", batch(thread, r, shared, others));
                        if (resp.status() != 200) {
                            failures.add("writer " + thread + " request " + r + ": " + resp.status() + " " + resp.body());
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            readers.add(pool.submit(() -> read(start, writing, reads, failures,
                    () -> http.get("runs/get", "run_id", shared))));
            readers.add(pool.submit(() -> read(start, writing, reads, failures,
                    () -> http.post("runs/search", Map.of("experiment_ids", List.of(exp), "order_by", List.of("metrics.shared DESC"))))));
            readers.add(pool.submit(() -> read(start, writing, reads, failures,
                    () -> http.get("metrics/get-history-bulk-interval", "run_ids", shared, "metric_key", "shared"))));

            start.countDown();
            for (Future<?> w : writers) {
                w.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> r : readers) {
                r.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), new ArrayList<>(failures), "failed requests");
        assertTrue(reads.get() >= 3, "readers ran: " + reads.get());

        // the shared run: one metric written by 8 threads at once, every step exactly once
        int sharedPoints = SHARED_WRITERS * REQUESTS * METRICS;
        assertSteps(http.history(shared, "shared"), sharedPoints);
        JsonNode run = http.run(shared);
        assertEquals(SHARED_WRITERS * REQUESTS, run.get("data").get("params").size());
        JsonNode latest = run.get("data").get("metrics").get(0);
        assertEquals(sharedPoints - 1, latest.get("step").asLong());
        assertEquals(sharedPoints - 1, latest.get("value").asDouble());

        // the other runs: two writers each, on their own key and on a key they share
        for (int i = 0; i < OTHER_RUNS; i++) {
            String runId = others.get(i);
            int writersHere = (WRITERS - SHARED_WRITERS) / OTHER_RUNS;
            assertSteps(http.history(runId, "pair"), writersHere * REQUESTS * METRICS / 2);
            for (int t = SHARED_WRITERS; t < WRITERS; t++) {
                if ((t - SHARED_WRITERS) % OTHER_RUNS == i) {
                    assertEquals(REQUESTS * METRICS / 2, http.history(runId, "own-" + t).size(), "run " + i + " writer " + t);
                }
            }
            assertEquals(writersHere * REQUESTS, http.run(runId).get("data").get("params").size());
        }
    }

    /** Eight clients create the same experiment at once: one wins, the others get MLflow's 400. */
    @Test
    void concurrentCreatesOfOneNameMakeOneExperiment() throws Exception {
        List<RawHttp.Response> answers = all(8, i -> server.http().post("experiments/create", Map.of("name", "race-name")));
        assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), "answers: " + answers);
        answers.stream().filter(r -> r.status() != 200).forEach(r -> r.error(400, "RESOURCE_ALREADY_EXISTS"));
        assertEquals(1, server.http().post("experiments/search", Map.of("filter", "name = 'race-name'")).ok()
                .get("experiments").size());
    }

    /** Eight clients set one param of one run to different values at once: the first value stays. */
    @Test
    void concurrentParamWritesKeepOneValue() throws Exception {
        RawHttp http = server.http();
        String run = http.createRun(http.createExperiment("param-race"), "r");
        List<RawHttp.Response> answers = all(8, i -> http.post("runs/log-parameter",
                Map.of("run_id", run, "key", "lr", "value", "0.0" + i)));
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).status() == 200) {
                winners.add(i);
            } else {
                answers.get(i).error(400, "INVALID_PARAMETER_VALUE");
            }
        }
        assertEquals(1, winners.size(), "answers: " + answers);
        JsonNode params = http.run(run).get("data").get("params");
        assertEquals(1, params.size());
        assertEquals("0.0" + winners.get(0), params.get(0).get("value").asText());
    }

    /** Runs {@code call} on n threads released together and returns the answers in thread order. */
    private static List<RawHttp.Response> all(int n, java.util.function.IntFunction<RawHttp.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<RawHttp.Response> out = new ArrayList<>();
            for (Future<RawHttp.Response> f : futures) {
                out.add(f.get(1, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writers 0..7 log steps of "shared" on the shared run, each its own range. Writers 8..15
     * log to run (t - 8) % 4: half the points on their own key, half on "pair" (their own
     * steps). Each request also logs one new param and overwrites one tag.
     */
    private static Map<String, Object> batch(int thread, int request, String shared, List<String> others) {
        List<Map<String, Object>> metrics = new ArrayList<>(METRICS);
        String runId;
        if (thread < SHARED_WRITERS) {
            runId = shared;
            long base = ((long) thread * REQUESTS + request) * METRICS;
            for (int i = 0; i < METRICS; i++) {
                long step = base + i;
                metrics.add(metric("shared", (double) step, T0 + step, step));
            }
        } else {
            int slot = (thread - SHARED_WRITERS) / OTHER_RUNS; // 0 or 1: which of the run's two writers
            runId = others.get((thread - SHARED_WRITERS) % OTHER_RUNS);
            long base = ((long) slot * REQUESTS + request) * (METRICS / 2);
            for (int i = 0; i < METRICS / 2; i++) {
                long step = base + i;
                metrics.add(metric("own-" + thread, (double) step, T0 + step, (long) request * (METRICS / 2) + i));
                metrics.add(metric("pair", (double) step, T0 + step, step));
            }
        }
        return Map.of("run_id", runId, "metrics", metrics,
                "params", List.of(kv("p-" + thread + "-" + request, "v")),
                "tags", List.of(kv("last-writer", Integer.toString(thread))));
    }

    private static Void read(CountDownLatch start, AtomicBoolean writing, AtomicInteger reads, Queue<String> failures,
            java.util.function.Supplier<RawHttp.Response> call) throws InterruptedException {
        start.await();
        do {
            RawHttp.Response r = call.get();
            reads.incrementAndGet();
            if (r.status() != 200) {
                failures.add(r.request() + ": " + r.status() + " " + r.body());
            }
        } while (writing.get());
        return null;
    }

    /** Asserts the history holds steps 0..n-1, each exactly once, in order. */
    private static void assertSteps(List<JsonNode> history, int n) {
        assertEquals(n, history.size());
        BitSet seen = new BitSet(n);
        long previous = -1;
        for (JsonNode p : history) {
            long step = p.get("step").asLong();
            assertTrue(step > previous, "steps out of order or repeated at " + step);
            assertTrue(step < n, "unexpected step " + step);
            seen.set((int) step);
            previous = step;
        }
        assertEquals(n, seen.cardinality());
    }
}
