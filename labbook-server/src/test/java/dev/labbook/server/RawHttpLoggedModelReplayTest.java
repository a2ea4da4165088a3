package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exchanges an MLflow 3 Python client (3.6) made against Labbook, in order and in their
 * exact shapes, recorded through a logging proxy: {@code mlflow.sklearn.log_model},
 * {@code list_artifacts(run_id, "model")}, {@code register_model("runs:/<run>/model")},
 * {@code load_model("models:/<id>")} and {@code set_active_model(name=)}.
 */
class RawHttpLoggedModelReplayTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    private static List<Object> clientTags() {
        return List.of(kv("mlflow.user", "root"), kv("mlflow.source.name", "/tmp/train.py"), kv("mlflow.source.type", "LOCAL"));
    }

    private static RawHttp.Response patch(String path, String body) {
        return server.http().send("PATCH", RawHttp.PREFIX + path, body);
    }

    private static List<String> listed(String storePath) {
        JsonNode files = server.http().send("GET", ARTIFACTS + "?path="
                + URLEncoder.encode(storePath, StandardCharsets.UTF_8), null).ok().path("files");
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.get("path").asText()));
        return out;
    }

    @Test
    void logModelListRegisterAndLoad() {
        RawHttp http = server.http();
        String exp = http.createExperiment("replay");
        String run = http.createRun(exp, "fit");

        // mlflow.sklearn.log_model(model, name="model"): create, link to the run, upload, finalize
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("experiment_id", exp);
        create.put("name", "model");
        create.put("source_run_id", run);
        create.put("params", List.of(kv("C", "1.0")));
        create.put("tags", clientTags());
        JsonNode info = http.post("logged-models", create).ok().get("model").get("info");
        String id = info.get("model_id").asText();
        String location = info.get("artifact_uri").asText();
        assertEquals("mlflow-artifacts:/" + exp + "/models/" + id + "/artifacts", location);
        http.post("runs/outputs", "{\"run_id\": \"" + run + "\", \"models\": [{\"model_id\": \"" + id + "\", \"step\": 0}]}").ok();
        String storeRoot = exp + "/models/" + id + "/artifacts";
        String mlmodel = "artifact_path: " + location + "\nflavors:\n  sklearn:\n    pickled_model: model.pkl\nmodel_id: " + id + "\n";
        http.send("PUT", ARTIFACTS + "/" + storeRoot + "/MLmodel", mlmodel).ok();
        http.send("PUT", ARTIFACTS + "/" + storeRoot + "/model.pkl", "pickled bytes").ok();
        http.send("PUT", ARTIFACTS + "/" + storeRoot + "/requirements.txt", "scikit-learn==1.2.1\n").ok();
        JsonNode ready = patch("logged-models/" + id,
                "{\"model_id\": \"" + id + "\", \"status\": \"LOGGED_MODEL_READY\"}").ok().get("model").get("info");
        assertEquals("LOGGED_MODEL_READY", ready.get("status").asText());

        // list_artifacts(run_id, "model"): the run has nothing there, so the client looks for a model of that name
        assertEquals(List.of(), listed(exp + "/" + run + "/artifacts/model"));
        JsonNode found = http.post("logged-models/search", "{\"experiment_ids\": [\"" + exp + "\"], \"filter\": \"name = 'model'\"}")
                .ok().get("models");
        assertEquals(1, found.size());
        assertEquals(run, found.get(0).get("info").get("source_run_id").asText());
        assertEquals(location, found.get(0).get("info").get("artifact_uri").asText());
        assertEquals(List.of("MLmodel", "model.pkl", "requirements.txt"), listed(storeRoot));
        assertEquals(id, http.run(run).get("outputs").get("model_outputs").get(0).get("model_id").asText());

        // register_model("runs:/<run>/model"): resolved to models:/<id> through the run's outputs
        http.post("registered-models/create", Map.of("name", "replayed")).ok();
        JsonNode version = http.post("model-versions/create", "{\"name\": \"replayed\", \"source\": \"models:/" + id
                + "\", \"run_id\": \"" + run + "\", \"model_id\": \"" + id + "\"}").ok().get("model_version");
        assertEquals(id, version.get("model_id").asText());
        patch("logged-models/" + id + "/tags", "{\"tags\": [{\"key\": \"mlflow.modelVersions\", \"value\": "
                + "\"[{\\\"name\\\": \\\"replayed\\\", \\\"version\\\": \\\"1\\\"}]\"}]}").ok();
        assertEquals(location, http.get("model-versions/get-download-uri", "name", "replayed", "version", "1")
                .ok().get("artifact_uri").asText());

        // load_model("models:/<id>"): the model, then its files through the proxy
        JsonNode loaded = http.get("logged-models/" + id).ok().get("model");
        assertTrue(loaded.get("info").get("tags").toString().contains("mlflow.modelVersions"), loaded.toString());
        assertEquals(mlmodel, http.send("GET", ARTIFACTS + "/" + storeRoot + "/MLmodel", null).body());
    }

    @Test
    void setActiveModelByName() {
        RawHttp http = server.http();
        String exp = http.createExperiment("active");
        // mlflow.set_active_model(name="active-one"): look it up, create it when absent, finalize
        String search = "{\"experiment_ids\": [\"" + exp + "\"], \"filter\": \"name='active-one'\", \"max_results\": 2}";
        assertEquals(0, http.post("logged-models/search", search).ok().get("models").size());
        List<Object> tags = new ArrayList<>(clientTags());
        tags.add(kv("mlflow.model.isExternal", "true"));
        String id = http.post("logged-models", Map.of("experiment_id", exp, "name", "active-one", "tags", tags))
                .ok().get("model").get("info").get("model_id").asText();
        patch("logged-models/" + id, "{\"model_id\": \"" + id + "\", \"status\": \"LOGGED_MODEL_READY\"}").ok();
        JsonNode again = http.post("logged-models/search", search).ok().get("models");
        assertEquals(1, again.size());
        assertEquals(id, again.get(0).get("info").get("model_id").asText());
        assertEquals("LOGGED_MODEL_READY", again.get(0).get("info").get("status").asText());
    }
}
