package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labbook server} in a process of its own, stopped with SIGTERM while a log-batch request
 * is half sent: the server refuses new connections at once, still answers the request in flight
 * (200, and its points are in the database when the file is opened again), checkpoints the
 * write-ahead log and exits 0.
 */
class ServerSigtermTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POINTS = 500;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void sigtermFinishesTheRequestInFlightRefusesNewConnectionsClosesTheStoreAndExitsZero() throws Exception {
        Path db = tmp.resolve("labbook.db");
        Process server = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the tests' simplelogger.properties keeps to warnings; the server's own info is wanted here
                "-Dorg.slf4j.simpleLogger.log.dev.labbook=info",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--backend-store-uri", "sqlite://" + db.toAbsolutePath(),
                "--artifacts-destination", tmp.resolve("artifacts").toString())
                .redirectErrorStream(true).start();
        Output output = new Output(server.getInputStream());
        try {
            int port = awaitPort(output, server);
            String runId = createRun(port);

            // a log-batch whose body arrives in two halves: the first now, the second after SIGTERM
            byte[] body = logBatch(runId);
            int half = body.length / 2;
            try (Socket slow = new Socket("127.0.0.1", port)) {
                slow.setSoTimeout((int) PATIENCE.toMillis());
                OutputStream out = slow.getOutputStream();
                out.write(("POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, half);
                out.flush();
                // in flight once the server is serving it (the scrape that tells is the other one)
                awaitActiveRequests(port, 2);

                // SIGTERM (Process.destroy() would also close our end of its output pipe)
                assertTrue(server.toHandle().destroy(), "SIGTERM was not sent");

                awaitRefused(port);
                assertTrue(server.isAlive(), "the server waits for the request in flight");

                out.write(body, half, body.length - half);
                out.flush();
                String response = readResponse(slow.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            }

            assertTrue(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the server did not exit");
            String printed = output.whole();
            assertEquals(0, server.exitValue(), "exit status after SIGTERM; output:\n" + printed);
            assertTrue(printed.contains("SIGTERM: finishing the requests in flight"), printed);
            // the store was closed: SQLite checkpointed the write-ahead log into the file and removed it
            assertFalse(Files.exists(Path.of(db + "-wal")), "the -wal file is left behind");

            try (Database reopened = Database.openSqlite(db); JdbcTrackingStore store = new JdbcTrackingStore(reopened)) {
                List<Metric> loss = store.getMetricHistory(runId, "loss", 25_000, null).items();
                assertEquals(POINTS, loss.size());
                assertEquals(POINTS - 1, loss.get(POINTS - 1).step());
                Run run = store.getRun(runId).orElseThrow();
                assertEquals("during-shutdown", run.data().params().get(0).value());
            }
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] logBatch(String runId) throws IOException {
        var batch = JSON.createObjectNode();
        batch.put("run_id", runId);
        var metrics = batch.putArray("metrics");
        for (int step = 0; step < POINTS; step++) {
            metrics.addObject().put("key", "loss").put("value", 1.0 / (step + 1)).put("timestamp", 1000 + step).put("step", step);
        }
        batch.putArray("params").addObject().put("key", "phase").put("value", "during-shutdown");
        return JSON.writeValueAsBytes(batch);
    }

    private String createRun(int port) throws Exception {
        JsonNode exp = post(port, "experiments/create", "{\"name\":\"sigterm\"}");
        JsonNode run = post(port, "runs/create", "{\"experiment_id\":\"" + exp.get("experiment_id").asText() + "\"}");
        return run.at("/run/info/run_id").asText();
    }

    private JsonNode post(int port, String endpoint, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Scrapes /metrics until the server counts at least {@code n} requests being served. */
    private void awaitActiveRequests(int port, int n) throws Exception {
        Pattern active = Pattern.compile("(?m)^http_server_requests_active\\s+([0-9.eE+]+)$");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = active.matcher(r.body());
            if (m.find() && Double.parseDouble(m.group(1)) >= n) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the slow request never became active:\n" + r.body());
        }
    }

    /** Connects until a connection is refused: the listening socket is closed. */
    private static void awaitRefused(int port) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                throw new AssertionError("connecting failed other than by a refusal", e);
            }
            assertTrue(System.nanoTime() < deadline, "new connections were still accepted after SIGTERM");
            Thread.onSpinWait();
        }
    }

    /** The status line and headers of one response (the body is MLflow's empty {}). */
    private static String readResponse(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        StringBuilder sb = new StringBuilder();
        for (String line; (line = r.readLine()) != null && !line.isEmpty(); ) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static int awaitPort(Output output, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String line = output.fresh.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } else if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + ":\n" + output);
            }
        }
        throw new AssertionError("the server never said where it listens:\n" + output);
    }

    /** The child's output lines, read as they come (else the child blocks on a full pipe). */
    private static final class Output {
        final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
        final List<String> all = new CopyOnWriteArrayList<>();
        final Thread reader;

        Output(InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        all.add(line);
                        fresh.add(line);
                        System.out.println("[server] " + line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "server-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Everything the child printed, once it has exited and its pipe is read to the end. */
        String whole() throws InterruptedException {
            reader.join(PATIENCE.toMillis());
            return String.join("\n", all);
        }

        @Override
        public String toString() {
            return String.join("\n", all);
        }
    }
}
