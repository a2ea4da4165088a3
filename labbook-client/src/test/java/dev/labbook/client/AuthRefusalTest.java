package dev.labbook.client;

import static dev.labbook.client.DurabilityTest.assertExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that stops accepting the client mid-run (an expired token: 401) refuses the client,
 * not the data: nothing is dropped, the report says why nothing arrives, and `labbook sync` with
 * working access delivers the rest exactly once.
 */
class AuthRefusalTest {
    @TempDir
    Path tmp;
    TestServer server;
    HttpServer gateway;
    volatile boolean refusing;

    /** A gateway in front of the real server that forwards, or answers 401 once told to refuse. */
    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(tmp.resolve("data"));
        HttpClient http = HttpClient.newHttpClient();
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            try (exchange) {
                if (refusing) {
                    answer(exchange, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"The token has expired\"}");
                    return;
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    b.header("Content-Type", type);
                }
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
                exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                exchange.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gateway.start();
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
        server.close();
    }

    @Test
    void aRefusedClientKeepsEverythingForSync() {
        Run run = Labbook.init(new RunOptions().setExperiment("auth").optTrackingUri("http://127.0.0.1:" + gateway.getAddress().getPort())
                .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(false).optCaptureEnvironment(false));
        for (int i = 0; i < 1000; i++) {
            run.log("loss", 1.0 / (i + 1));
        }
        assertTrue(run.flush(Duration.ofSeconds(30)).complete(), "delivered while the token was good");
        String runId = run.id();

        refusing = true;
        for (int i = 0; i < 1000; i++) {
            run.log("loss", 1.0 / (i + 1001));
        }
        run.logParam("lr", 0.1);
        DeliveryReport report = run.finish(RunStatus.FINISHED, Duration.ofSeconds(2));
        assertFalse(report.complete(), report.toString());
        assertEquals(0, report.droppedRecords(), "nothing is dropped for a 401: " + report);
        assertTrue(report.pendingRecords() >= 1002, "the second half, the param and the end wait: " + report);
        assertTrue(report.toString().contains("The token has expired"), "the report says why: " + report);
        assertEquals(RunStatus.RUNNING, server.client().getRun(runId).info().status());
        assertExactly(server.client(), runId, "loss", 1000);

        run.detach();
        Sync.Result synced = Sync.one(run.spoolDir(), server.uri(), Duration.ofSeconds(30));
        assertTrue(synced.complete(), synced.toString());
        assertEquals(runId, synced.runId());
        var stored = server.client().getRun(runId);
        assertEquals(RunStatus.FINISHED, stored.info().status());
        assertEquals(List.of(new Param("lr", "0.1")), stored.data().params());
        assertExactly(server.client(), runId, "loss", 2000);
    }
}
