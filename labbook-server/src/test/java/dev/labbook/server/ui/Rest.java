package dev.labbook.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny MLflow REST client for seeding test servers, the way any MLflow client would. */
final class Rest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    Rest(String base) {
        this.base = base;
    }

    JsonNode get(String endpointAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpointAndQuery)).GET().build(), endpointAndQuery);
    }

    JsonNode post(String endpoint, Object body) {
        return send("POST", endpoint, body);
    }

    /** Any method with a JSON body (MLflow's PATCH and DELETE endpoints). */
    JsonNode send(String method, String endpoint, Object body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpoint))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build(), endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(HttpRequest req, String endpoint) {
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException(endpoint + " answered " + res.statusCode() + ": " + res.body());
            }
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Uploads one artifact of a run through the artifact proxy, as MLflow clients do. */
    void artifact(String runId, String path, byte[] content) {
        upload(get("runs/get?run_id=" + runId).path("run").path("info").path("artifact_uri").asText(), path, content);
    }

    /** Uploads a file under any proxied artifact URI ({@code mlflow-artifacts:/...}), e.g. a logged model's. */
    void upload(String artifactUri, String path, byte[] content) {
        String rel = artifactUri.replaceFirst("^mlflow-artifacts:/+", "");
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + rel + "/" + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("upload answered " + res.statusCode() + ": " + res.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String createExperiment(String name) {
        return post("experiments/create", Map.of("name", name)).get("experiment_id").asText();
    }

    String createRun(String experimentId, String name, long startTime) {
        return post("runs/create", Map.of("experiment_id", experimentId, "run_name", name, "start_time", startTime,
                "user_id", "ada")).get("run").get("info").get("run_id").asText();
    }

    void params(String runId, Map<String, ?> params) {
        List<Map<String, Object>> ps = new ArrayList<>();
        params.forEach((k, v) -> ps.add(Map.of("key", k, "value", String.valueOf(v))));
        post("runs/log-batch", Map.of("run_id", runId, "params", ps));
    }

    void tags(String runId, Map<String, String> tags) {
        List<Map<String, Object>> ts = new ArrayList<>();
        tags.forEach((k, v) -> ts.add(Map.of("key", k, "value", v)));
        post("runs/log-batch", Map.of("run_id", runId, "tags", ts));
    }

    /** Logs one metric's points for steps [from, to), value given by f, 1000 points per request. */
    void metric(String runId, String key, int from, int to, long t0, java.util.function.IntToDoubleFunction f) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int step = from; step < to; step++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("value", f.applyAsDouble(step));
            m.put("timestamp", t0 + step * 1000L);
            m.put("step", step);
            batch.add(m);
            if (batch.size() == 1000) {
                post("runs/log-batch", Map.of("run_id", runId, "metrics", batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            post("runs/log-batch", Map.of("run_id", runId, "metrics", batch));
        }
    }

    void finish(String runId, String status, long endTime) {
        post("runs/update", Map.of("run_id", runId, "status", status, "end_time", endTime));
    }
}
