package dev.labbook.server.registry;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model-versions/create refuses sources that reach outside where they point, as MLflow's server
 * does (handlers.py {@code _validate_source_run} / {@code _validate_non_local_source_contains_relative_paths}):
 * clients later download a version's files from its source through the server. Each request is
 * the body MLflow's Python client sends for {@code create_model_version}.
 */
class ModelVersionSourceTest {
    @TempDir
    Path tmp;
    LabbookServer server;
    RegistryHttp http;

    @BeforeEach
    void start() {
        String db = tmp.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), tmp.resolve("artifacts")));
        http = new RegistryHttp("http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/");
        assertEquals(200, http.post("registered-models/create", "name", "m").status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RegistryHttp.Reply create(String source, String runId) {
        return http.post("model-versions/create", "name", "m", "source", source, "run_id", runId,
                "tags", List.of(), "run_link", "", "description", "");
    }

    private String newRun(String experimentId) {
        JsonNode r = http.post("runs/create", "experiment_id", experimentId, "start_time", 1).body();
        return r.at("/run/info/run_id").asText();
    }

    @Test
    void pathTraversalInASourceIsRefused() {
        String runId = newRun("0");
        List<String> hostile = List.of(
                "mlflow-artifacts://host/models/../../../",
                "mlflow-artifacts://host:5000/../../../../",
                "http://host:5000/api/2.0/mlflow-artifacts/artifacts/../../../../",
                "https://host/api/2.0/mlflow-artifacts/artifacts/../../../../",
                "s3:/my_bucket/models/path/../../other/path",
                "s3://bucket/a/./b",
                "mlflow-artifacts://host:5000/..%2f..%2f..%2f..%2f",
                "mlflow-artifacts://host:5000/%252e%252e%252f%252e%252e%252fetc",
                "http://host:5000/api/2.0/mlflow-artifacts/artifacts%00",
                "runs:/" + runId + "/../../../etc",
                "models:/m/../../1");
        List<String> accepted = new ArrayList<>();
        for (String source : hostile) {
            RegistryHttp.Reply r = create(source, runId);
            if (r.status() != 400 || !r.errorCode().equals("INVALID_PARAMETER_VALUE")
                    || !r.body().path("message").asText().startsWith("Invalid model version source: '" + source + "'.")) {
                accepted.add(source + " -> " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), accepted);
        assertEquals(0, http.get("model-versions/search", "filter", "name = 'm'").body().path("model_versions").size());
    }

    /** MLflow accepts a local path only inside the local artifact directory of the run named by run_id. */
    @Test
    void localSourcesNeedTheirRun() {
        String runId = newRun("0"); // artifacts behind the proxy: no local directory
        for (String source : List.of("/etc/passwd", "relative/model", "file:///etc/passwd", "file:/tmp/m", "C:/models/m")) {
            RegistryHttp.Reply r = create(source, runId);
            assertEquals(400, r.status(), source + ": " + r.body());
            assertTrue(r.body().path("message").asText().contains("the run_id request parameter has to be specified"),
                    r.body().toString());
        }
        for (String source : List.of("file://123.456.789.123/path/to/source", "file://etc/passwd")) {
            RegistryHttp.Reply r = create(source, runId);
            assertEquals(400, r.status(), source + ": " + r.body());
            assertTrue(r.body().path("message").asText().contains("is not a valid remote uri"), r.body().toString());
        }
        String local = tmp.resolve("local-store").toAbsolutePath().toString();
        String exp = http.post("experiments/create", "name", "local", "artifact_location", local)
                .body().path("experiment_id").asText();
        String localRun = newRun(exp);
        String artifacts = http.get("runs/get", "run_id", localRun).body().at("/run/info/artifact_uri").asText();
        assertEquals(200, create("file://" + artifacts + "/model", localRun).status(), artifacts);
        assertEquals(200, create(artifacts + "/model", localRun).status());
        assertEquals(400, create(artifacts + "/../../../elsewhere", localRun).status());
        assertEquals(400, create(artifacts + "/model", runId).status(), "another run's directory");
        assertEquals(400, create(artifacts + "/model", "").status(), "no run");
    }

    @Test
    void ordinarySourcesAreAccepted() {
        String runId = newRun("0");
        for (String source : List.of("runs:/" + runId + "/model", "mlflow-artifacts:/0/" + runId + "/artifacts/model",
                "mlflow-artifacts://localhost:5000/0/" + runId + "/artifacts/model", "s3://bucket/path/model",
                "gs://b/m", "dbfs:/databricks/mlflow/m", "http://host:5000/api/2.0/mlflow-artifacts/artifacts/0/x/model",
                "models:/m/1", "s3://bucket/with%20space/model")) {
            RegistryHttp.Reply r = create(source, runId);
            assertEquals(200, r.status(), source + ": " + r.body());
            assertEquals(source, r.body().at("/model_version/source").asText());
        }
    }

    /** Prompt versions (2.21+ register_prompt) use a placeholder source; local paths stay refused for them. */
    @Test
    void promptSources() {
        List<Map<String, String>> promptTag = List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"));
        assertEquals(200, http.post("model-versions/create", "name", "m", "source", "dummy-source", "tags", promptTag).status());
        RegistryHttp.Reply r = http.post("model-versions/create", "name", "m", "source", "/etc/passwd", "tags", promptTag);
        assertEquals(400, r.status());
        assertEquals("Invalid prompt source: '/etc/passwd'. Local source paths are not allowed for prompts.",
                r.body().path("message").asText());
        assertEquals(400, http.post("model-versions/create", "name", "m", "source", "s3://b/../x", "tags", promptTag).status());
    }
}
