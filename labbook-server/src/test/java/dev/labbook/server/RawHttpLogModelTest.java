package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code runs/log-model}, which MLflow 2.x clients call on every {@code log_model}: the model's
 * summary is appended to the run tag {@code mlflow.log-model.history}, as MLflow's
 * {@code record_logged_model} does, and malformed requests get MLflow's messages.
 */
class RawHttpLogModelTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    /** The model_json mlflow 2.22's sklearn.log_model sends (Model.to_json()). */
    private static String modelJson(String runId, String artifactPath, String uuid) {
        return "{\"run_id\": \"" + runId + "\", \"artifact_path\": \"" + artifactPath + "\", "
                + "\"utc_time_created\": \"2026-12-04 19:00:00.123456\", \"flavors\": {\"python_function\": "
                + "{\"model_path\": \"model.pkl\", \"predict_fn\": \"predict\", \"loader_module\": \"mlflow.sklearn\", "
                + "\"python_version\": \"3.11.2\", \"env\": {\"conda\": \"conda.yaml\", \"virtualenv\": \"python_env.yaml\"}, "
                + "\"config\": {\"a\": 1}}, \"sklearn\": {\"pickled_model\": \"model.pkl\", \"sklearn_version\": \"1.6.1\", "
                + "\"serialization_format\": \"cloudpickle\", \"code\": null}}, \"model_uuid\": \"" + uuid + "\", "
                + "\"mlflow_version\": \"2.22.0\", \"model_size_bytes\": 812, \"signature\": {\"inputs\": \"[]\"}}";
    }

    private static JsonNode historyOf(String runId) {
        for (JsonNode t : server.http().run(runId).path("data").path("tags")) {
            if (t.path("key").asText().equals("mlflow.log-model.history")) {
                try {
                    return RawHttp.JSON.readTree(t.path("value").asText());
                } catch (java.io.IOException e) {
                    throw new AssertionError(t.toString(), e);
                }
            }
        }
        return null;
    }

    @Test
    void eachLoggedModelIsAppendedToTheHistoryTag() {
        RawHttp http = server.http();
        String runId = http.createRun(http.createExperiment("log-model"), "m");
        http.post("runs/log-model", Map.of("run_id", runId, "model_json", modelJson(runId, "model", "u1"))).ok();
        http.post("runs/log-model", Map.of("run_id", runId, "model_json", modelJson(runId, "model2", "u2"))).ok();
        JsonNode history = historyOf(runId);
        assertEquals(2, history.size());
        JsonNode first = history.get(0);
        assertEquals(runId, first.path("run_id").asText());
        assertEquals("model", first.path("artifact_path").asText());
        assertEquals("2026-12-04 19:00:00.123456", first.path("utc_time_created").asText());
        assertEquals("u1", first.path("model_uuid").asText());
        assertEquals("mlflow.sklearn", first.at("/flavors/python_function/loader_module").asText());
        assertFalse(first.at("/flavors/python_function").has("config"), "MLflow drops each flavor's config");
        assertEquals("1.6.1", first.at("/flavors/sklearn/sklearn_version").asText());
        assertFalse(first.has("signature") || first.has("mlflow_version"), "only MLflow's summary fields are kept");
        assertEquals("model2", history.get(1).path("artifact_path").asText());
        // written as Python's json.dumps writes it
        String raw = server.http().run(runId).path("data").path("tags").findValues("value").stream()
                .map(JsonNode::asText).filter(v -> v.startsWith("[{")).findFirst().orElseThrow();
        assertTrue(raw.startsWith("[{\"run_id\": \"" + runId + "\", \"artifact_path\": \"model\", "), raw);
    }

    @Test
    void malformedRequestsGetMlflowsMessages() {
        RawHttp http = server.http();
        String runId = http.createRun(http.createExperiment("log-model-bad"), "m");
        assertTrue(http.post("runs/log-model", Map.of("run_id", runId, "model_json", "{not json"))
                .error(400, "INVALID_PARAMETER_VALUE").startsWith("Malformed model info. \n {not json \n is not a valid JSON."));
        assertEquals("Model json is missing mandatory fields: {'flavors', 'utc_time_created'}",
                http.post("runs/log-model", Map.of("run_id", runId, "model_json",
                        "{\"artifact_path\": \"m\", \"run_id\": \"" + runId + "\"}")).error(400, "INVALID_PARAMETER_VALUE"));
        http.post("runs/log-model", Map.of("run_id", runId)).error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-model", Map.of("model_json", modelJson(runId, "m", "u"))).error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-model", Map.of("run_id", "0000000000000000000000000000dead",
                "model_json", modelJson(runId, "m", "u"))).error(404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals(null, historyOf(runId));
        http.post("runs/delete", Map.of("run_id", runId)).ok();
        http.post("runs/log-model", Map.of("run_id", runId, "model_json", modelJson(runId, "m", "u")))
                .error(400, "INVALID_PARAMETER_VALUE");
    }
}
