package dev.labbook.server.registry;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

/**
 * Field details MLflow's REST tests check: descriptions come back as "" when none was given
 * (MLflow stores protobuf's default), a copied version ({@code copy_model_version}) keeps its
 * {@code models:/} source and downloads from the original, a relative experiment artifact
 * location is made absolute, and an unknown alias is MLflow's INVALID_PARAMETER_VALUE.
 */
class RegistryFieldDetailsTest {
    @TempDir
    Path tmp;
    LabbookServer server;
    RegistryHttp http;

    @BeforeEach
    void start() {
        String db = tmp.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), tmp.resolve("artifacts")));
        http = new RegistryHttp("http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode ok(RegistryHttp.Reply r) {
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    @Test
    void descriptionsAreEmptyStringsWhenNoneWasGiven() {
        JsonNode model = ok(http.post("registered-models/create", "name", "m")).path("registered_model");
        assertTrue(model.path("description").isTextual(), model.toString());
        assertEquals("", model.path("description").asText());
        JsonNode version = ok(http.post("model-versions/create", "name", "m", "source", "s3://b/m")).path("model_version");
        assertTrue(version.path("description").isTextual(), version.toString());
        assertEquals("", version.path("description").asText());
        assertEquals("", ok(http.get("model-versions/get", "name", "m", "version", "1")).at("/model_version/description").asText());
        // and run_link, which MLflow sends as "" on every version that has none
        assertTrue(version.path("run_link").isTextual(), version.toString());
        assertEquals("", ok(http.get("model-versions/get", "name", "m", "version", "1")).at("/model_version/run_link").asText());
        assertTrue(ok(http.get("model-versions/get", "name", "m", "version", "1")).at("/model_version/description").isTextual());
        MlflowClient client = new MlflowClient("http://127.0.0.1:" + server.port());
        try {
            assertEquals("", client.getModelVersion("m", "1").getDescription());
            assertTrue(client.getModelVersion("m", "1").hasDescription(), "the Java client sees the field set, as from MLflow");
        } finally {
            client.close();
        }
    }

    /** MlflowClient.copy_model_version("models:/src/1", "dst") sends model-versions/create with source models:/src/1. */
    @Test
    void aCopiedVersionKeepsItsModelsSourceAndDownloadsFromTheOriginal() {
        String runId = ok(http.post("runs/create", "experiment_id", "0", "start_time", 1)).at("/run/info/run_id").asText();
        ok(http.post("registered-models/create", "name", "src"));
        ok(http.post("model-versions/create", "name", "src", "source", "runs:/" + runId + "/model", "run_id", runId));
        String original = ok(http.get("model-versions/get-download-uri", "name", "src", "version", "1")).path("artifact_uri").asText();
        assertTrue(original.startsWith("mlflow-artifacts:/"), original);

        ok(http.post("registered-models/create", "name", "dst"));
        JsonNode copy = ok(http.post("model-versions/create", "name", "dst", "source", "models:/src/1", "run_id", runId,
                "tags", List.of(), "run_link", "", "description", "")).path("model_version");
        assertEquals("models:/src/1", copy.path("source").asText());
        assertEquals(original, ok(http.get("model-versions/get-download-uri", "name", "dst", "version", "1")).path("artifact_uri").asText());
        // a copy of the copy, and a copy by alias
        ok(http.post("registered-models/alias", "name", "dst", "alias", "champion", "version", "1"));
        ok(http.post("model-versions/create", "name", "dst", "source", "models:/dst@champion"));
        assertEquals(original, ok(http.get("model-versions/get-download-uri", "name", "dst", "version", "2")).path("artifact_uri").asText());
        assertEquals("models:/dst@champion", ok(http.get("model-versions/get", "name", "dst", "version", "2")).at("/model_version/source").asText());
    }

    /** MLflow's store applies resolve_uri_if_local: a relative location is made absolute on the server. */
    @Test
    void aRelativeArtifactLocationIsMadeAbsolute() {
        Path cwd = Path.of("").toAbsolutePath();
        String rel = ok(http.post("experiments/create", "name", "rel", "artifact_location", "relative/dir")).path("experiment_id").asText();
        assertEquals(cwd.resolve("relative/dir").toString(),
                ok(http.get("experiments/get", "experiment_id", rel)).at("/experiment/artifact_location").asText());
        String file = ok(http.post("experiments/create", "name", "file-rel", "artifact_location", "file:./x")).path("experiment_id").asText();
        assertEquals("file://" + cwd.resolve("x"),
                ok(http.get("experiments/get", "experiment_id", file)).at("/experiment/artifact_location").asText());
        for (String kept : List.of("s3://bucket/path", "/abs/path", "file:///abs/x", "mlflow-artifacts:/custom")) {
            String id = ok(http.post("experiments/create", "name", "kept " + kept, "artifact_location", kept)).path("experiment_id").asText();
            assertEquals(kept, ok(http.get("experiments/get", "experiment_id", id)).at("/experiment/artifact_location").asText());
        }
    }

    @Test
    void anUnknownAliasIsInvalidParameterValue() {
        ok(http.post("registered-models/create", "name", "m"));
        RegistryHttp.Reply r = http.get("registered-models/alias", "name", "m", "alias", "nope");
        assertEquals(400, r.status(), r.body().toString());
        assertEquals("INVALID_PARAMETER_VALUE", r.errorCode());
        assertEquals("Registered model alias nope not found.", r.body().path("message").asText());
    }
}
