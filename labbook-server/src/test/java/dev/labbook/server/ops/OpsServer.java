package dev.labbook.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** A real server on port 0 over a temporary folder, and a JDK HTTP client for it. */
final class OpsServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "/api/2.0/mlflow/";

    final Path artifacts;
    final LabbookServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A server over a new store of the database the tests run on (see {@link TestDatabases}). */
    OpsServer(Path tmp) {
        this(tmp, TestDatabases.uriAt(tmp.resolve("ops.db")));
    }

    OpsServer(Path tmp, String backendStoreUri) {
        artifacts = tmp.resolve("artifacts");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, backendStoreUri, artifacts));
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POSTs to an MLflow endpoint and returns its JSON, asserting 200. */
    JsonNode api(String endpoint, String json) {
        HttpResponse<String> r = post(API + endpoint, json);
        if (r.statusCode() != 200) {
            throw new AssertionError(endpoint + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** Scrapes /metrics until {@code ready} holds (the server records a request just after answering it). */
    Exposition scrapeUntil(Predicate<Exposition> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/metrics");
            if (r.statusCode() != 200) {
                throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
            }
            Exposition e = Exposition.parse(r.body());
            if (ready.test(e)) {
                return e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the scrape never reached the expected state:\n" + r.body());
            }
            Thread.onSpinWait();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
