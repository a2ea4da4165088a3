package dev.labbook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A JDK HttpClient aimed at one local server, speaking HTTP/1.1 with kept-alive connections. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    // Answers are handled on the thread that reads them rather than handed to a pool: a thread
    // switch less per request, so that the client costs the 2 cores as little as it can.
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Runnable::run)
            .build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A client of the server at {@code base} ({@code http://HOST:PORT}, a load balancer say). */
    Http(java.net.URI base) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build();
        return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs a JSON body and returns the parsed answer, failing on any status but 200. */
    JsonNode call(String path, String json) throws IOException, InterruptedException {
        return ok(post(path, json.getBytes(StandardCharsets.UTF_8)), path);
    }

    static JsonNode ok(HttpResponse<byte[]> res, String what) throws IOException {
        if (res.statusCode() != 200) {
            throw new IllegalStateException(what + " answered " + res.statusCode() + ": "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(res.body());
    }

    /** Creates a run in an experiment and returns its id. */
    String createRun(String experimentId, String name) throws IOException, InterruptedException {
        JsonNode n = call("/api/2.0/mlflow/runs/create",
                "{\"experiment_id\":\"" + experimentId + "\",\"run_name\":\"" + name + "\"}");
        return n.path("run").path("info").path("run_id").asText();
    }
}
