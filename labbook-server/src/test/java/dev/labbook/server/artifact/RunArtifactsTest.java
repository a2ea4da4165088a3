package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static dev.labbook.server.artifact.TestServer.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracking API's view of a run's artifacts: artifacts/list and /get-artifact. */
class RunArtifactsTest {
    @TempDir
    Path tmp;
    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer(tmp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsARunsArtifactsRelativeToItsRoot() {
        JsonNode info = server.createRun();
        String runId = info.path("run_id").asText();
        String uri = info.path("artifact_uri").asText();
        assertEquals("mlflow-artifacts:/0/" + runId + "/artifacts", uri);
        // What an MLflow client does with that URI: upload through the proxy below its path.
        String base = PROXY + "/0/" + runId + "/artifacts";
        server.put(base + "/metrics.json", "{}".getBytes(UTF_8));
        server.put(base + "/model/weights.bin", new byte[2048]);
        server.put(base + "/model/MLmodel", "flavors: {}".getBytes(UTF_8));

        JsonNode top = json(server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId).body());
        assertEquals(uri, top.path("root_uri").asText());
        assertEquals(2, top.path("files").size(), top.toString());
        assertEquals("metrics.json", top.path("files").get(0).path("path").asText());
        assertEquals(2, top.path("files").get(0).path("file_size").asLong());
        assertEquals("model", top.path("files").get(1).path("path").asText());
        assertTrue(top.path("files").get(1).path("is_dir").asBoolean());
        assertFalse(top.path("files").get(1).has("file_size"));

        JsonNode model = json(server.get("/ajax-api/2.0/mlflow/artifacts/list?run_uuid=" + runId + "&path=model").body());
        assertEquals("model/MLmodel", model.path("files").get(0).path("path").asText());
        assertEquals("model/weights.bin", model.path("files").get(1).path("path").asText());
        assertEquals(2048, model.path("files").get(1).path("file_size").asLong());
        assertFalse(model.path("files").get(1).path("is_dir").asBoolean());
    }

    @Test
    void aRunWithoutArtifactsListsNothing() {
        String runId = server.createRun().path("run_id").asText();
        HttpResponse<String> r = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=model");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, json(r.body()).path("files").size());
    }

    @Test
    void listingAnUnknownRunIs404() {
        HttpResponse<String> r = server.get("/api/2.0/mlflow/artifacts/list?run_id=0123456789abcdef");
        assertEquals(404, r.statusCode());
        assertEquals("RESOURCE_DOES_NOT_EXIST", json(r.body()).path("error_code").asText());
        assertEquals(400, server.get("/api/2.0/mlflow/artifacts/list").statusCode(), "run_id is required");
    }

    @Test
    void getArtifactDownloadsFromTheRunsRoot() {
        String runId = server.createRun().path("run_id").asText();
        byte[] data = new byte[5000];
        new java.util.Random(3).nextBytes(data);
        server.put(PROXY + "/0/" + runId + "/artifacts/model/weights.bin", data);
        HttpResponse<byte[]> r = server.getBytes("/get-artifact?run_id=" + runId + "&path=model/weights.bin");
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
        assertEquals(404, server.get("/get-artifact?run_id=" + runId + "&path=model/missing.bin").statusCode());
        assertEquals(400, server.get("/get-artifact?run_id=" + runId).statusCode(), "path is required");
    }

    @Test
    void aRunWhoseArtifactsLiveElsewhereIsRefusedClearly() {
        String exp = json(server.postJson("/api/2.0/mlflow/experiments/create",
                "{\"name\":\"s3\",\"artifact_location\":\"s3://bucket/prefix\"}").body()).path("experiment_id").asText();
        String runId = json(server.postJson("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + exp + "\"}").body())
                .path("run").path("info").path("run_id").asText();
        HttpResponse<String> r = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);
        assertEquals(400, r.statusCode());
        assertEquals("INVALID_PARAMETER_VALUE", json(r.body()).path("error_code").asText());
    }
}
