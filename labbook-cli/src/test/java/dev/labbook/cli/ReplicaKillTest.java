package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Page;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.store.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code labbook server} processes on one database; one is killed with SIGKILL while clients
 * log through it. Clients whose request fails retry it, unchanged, on the other replica (log-batch
 * is idempotent: a point stored twice is stored once, a param set again to its value is accepted)
 * and finish their work there. Afterwards every batch acknowledged by either replica is in the
 * database, every point exactly once, also read straight from the database file.
 */
class ReplicaKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 2;
    private static final int BATCHES = 60;
    private static final int POINTS = 500;
    /** The victim is killed once this many batches were acknowledged: in the middle of ingestion. */
    private static final int KILL_AFTER = 15;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void acknowledgedWritesSurviveASigkilledReplicaAndClientsFinishOnTheOther() throws Exception {
        // an SQLite file in WAL mode shared by two processes, or PostgreSQL with -Dlabbook.test.db=postgresql
        String store = TestDatabases.uri(dir);
        Path artifacts = dir.resolve("artifacts");
        String runId;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failovers = new AtomicInteger();
        AtomicInteger ackedByVictim = new AtomicInteger();
        // both started at once, as the README's deployment starts them (on SQLite the file is new:
        // one replica migrates it while the other waits for the database's lock)
        var startingA = java.util.concurrent.CompletableFuture.supplyAsync(() -> start(store, artifacts, "a.log"));
        var startingB = java.util.concurrent.CompletableFuture.supplyAsync(() -> start(store, artifacts, "b.log"));
        ServerProcess a;
        ServerProcess b;
        try {
            a = startingA.get();
        } finally {
            if (startingA.isCompletedExceptionally()) {
                startingB.thenAccept(ServerProcess::stopQuietly).join();
            }
        }
        try {
            b = startingB.get();
        } catch (Exception e) {
            a.close();
            throw e;
        }
        try (ServerProcess victim = a; ServerProcess survivor = b) {
            String exp = post(victim.uri(), "experiments/create", Map.of("name", "kill")).get("experiment_id").asText();
            runId = post(survivor.uri(), "runs/create", Map.of("experiment_id", exp, "start_time", 1))
                    .get("run").get("info").get("run_id").asText();
            CountDownLatch killTime = new CountDownLatch(KILL_AFTER);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> {
                        String target = victim.uri();
                        for (int i = 0; i < BATCHES; i++) {
                            int batch = i * CLIENTS + client;
                            String body = JSON.writeValueAsString(batch(runId, batch));
                            while (true) {
                                try {
                                    HttpResponse<String> r = send(target, "runs/log-batch", body);
                                    if (r.statusCode() == 200) {
                                        break;
                                    }
                                    if (r.statusCode() < 500) {
                                        throw new AssertionError("batch " + batch + ": " + r.statusCode() + " " + r.body());
                                    }
                                } catch (IOException e) {
                                    // the replica went away, maybe in the middle of this request
                                }
                                if (target.equals(survivor.uri())) {
                                    throw new AssertionError("the surviving replica failed batch " + batch);
                                }
                                target = survivor.uri(); // retry the same request on the other replica
                                failovers.incrementAndGet();
                            }
                            acknowledged.add(batch);
                            if (target.equals(victim.uri())) {
                                ackedByVictim.incrementAndGet();
                            }
                            killTime.countDown();
                        }
                        return null;
                    }));
                }
                assertTrue(killTime.await(5, TimeUnit.MINUTES), "clients made no progress");
                victim.kill();
                for (Future<?> f : clients) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(ackedByVictim.get() >= KILL_AFTER, "the victim acknowledged " + ackedByVictim.get());
            assertTrue(failovers.get() >= 1, "no client had to fail over");
            assertEquals(CLIENTS * BATCHES, acknowledged.size());

            // through the survivor: every point of every batch, once
            List<Long> served = new ArrayList<>();
            String page = "";
            do {
                JsonNode history = get(survivor.uri(), "metrics/get-history?run_id=" + runId + "&metric_key=m&max_results=25000" + page);
                history.path("metrics").forEach(m -> served.add(m.get("step").asLong()));
                page = history.hasNonNull("next_page_token") && !history.get("next_page_token").asText().isEmpty()
                        ? "&page_token=" + java.net.URLEncoder.encode(history.get("next_page_token").asText(), java.nio.charset.StandardCharsets.UTF_8)
                        : null;
            } while (page != null);
            assertEveryPointOnce(served);
            JsonNode run = get(survivor.uri(), "runs/get?run_id=" + runId).get("run");
            assertEquals(CLIENTS * BATCHES, run.get("data").get("params").size());
        }
        // the replicas print where their store is, never its password
        for (String log : List.of("a.log", "b.log")) {
            String printed = java.nio.file.Files.readString(dir.resolve(log));
            assertTrue(printed.contains("listening on"), printed);
            assertTrue(!printed.contains(TestDatabases.PASSWORD), "the password is in " + log);
        }
        // and in the database file itself, once both replicas are gone
        try (JdbcTrackingStore direct = JdbcTrackingStore.open(store)) {
            List<Long> steps = new ArrayList<>();
            String token = null;
            do {
                Page<Metric> page = direct.getMetricHistory(runId, "m", 25_000, token);
                page.items().forEach(m -> steps.add(m.step()));
                token = page.nextPageToken();
            } while (token != null);
            assertEveryPointOnce(steps);
        }
    }

    private ServerProcess start(String store, Path artifacts, String log) {
        try {
            return ServerProcess.start(store, artifacts, dir.resolve(log));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertEveryPointOnce(List<Long> steps) {
        int total = CLIENTS * BATCHES * POINTS;
        assertEquals(total, steps.size(), "points stored");
        BitSet seen = new BitSet(total);
        steps.forEach(s -> seen.set(s.intValue()));
        assertEquals(total, seen.cardinality(), "distinct steps");
    }

    private static Map<String, Object> batch(String runId, int batch) {
        List<Map<String, Object>> metrics = new ArrayList<>(POINTS);
        for (int j = 0; j < POINTS; j++) {
            long step = (long) batch * POINTS + j;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", "m");
            m.put("value", Math.sqrt(step));
            m.put("timestamp", 1_700_000_000_000L + step);
            m.put("step", step);
            metrics.add(m);
        }
        return Map.of("run_id", runId, "metrics", metrics, "params", List.of(Map.of("key", "batch-" + batch, "value", "sent")));
    }

    private HttpResponse<String> send(String base, String endpoint, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpoint))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(String base, String endpoint, Object body) throws Exception {
        HttpResponse<String> r = send(base, endpoint, JSON.writeValueAsString(body));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode get(String base, String endpointAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpointAndQuery))
                .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
