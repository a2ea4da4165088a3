package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MLflow 3's logged models over raw HTTP, with the requests an MLflow 3 Python client sends
 * (rest_store.py: JSON of the service.proto messages, the model id both in the path and the
 * body): the lifecycle, artifacts uploaded through the artifact proxy, run outputs and model
 * inputs, and a registry version registered from a logged model.
 */
class RawHttpLoggedModelsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;
    private static String runId;

    @BeforeAll
    static void experiment() {
        experimentId = server.http().createExperiment("logged-models");
        runId = server.http().createRun(experimentId, "trainer");
    }

    static JsonNode create(Map<String, Object> body) {
        return server.http().post("logged-models", body).ok().get("model");
    }

    static Map<String, Object> createBody(String name) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("experiment_id", experimentId);
        if (name != null) {
            b.put("name", name);
        }
        b.put("model_type", "classifier");
        b.put("source_run_id", runId);
        b.put("params", List.of(kv("alpha", "0.5"), kv("vocab", "20000")));
        b.put("tags", List.of(kv("mlflow.source.name", "train.py"), kv("team", "nlp")));
        return b;
    }

    private static RawHttp.Response patch(String path, Object body) {
        return server.http().send("PATCH", RawHttp.PREFIX + path, RawHttp.write(body));
    }

    private static RawHttp.Response delete(String path, Object body) {
        return server.http().send("DELETE", RawHttp.PREFIX + path, RawHttp.write(body));
    }

    private static Map<String, String> pairs(JsonNode array) {
        Map<String, String> out = new LinkedHashMap<>();
        array.forEach(n -> out.put(n.get("key").asText(), n.get("value").asText()));
        return out;
    }

    @Test
    void createReturnsAPendingModelWithMlflowFieldsAndLayout() {
        long before = System.currentTimeMillis();
        JsonNode model = create(createBody("sentiment"));
        JsonNode info = model.get("info");
        String id = info.get("model_id").asText();
        assertTrue(id.matches("m-[0-9a-f]{32}"), id);
        assertEquals(experimentId, info.get("experiment_id").asText());
        assertEquals("sentiment", info.get("name").asText());
        assertEquals("classifier", info.get("model_type").asText());
        assertEquals(runId, info.get("source_run_id").asText());
        assertEquals("LOGGED_MODEL_PENDING", info.get("status").asText());
        // MLflow 3's layout under the experiment's location, as runs' artifact URIs are built
        assertEquals("mlflow-artifacts:/" + experimentId + "/models/" + id + "/artifacts", info.get("artifact_uri").asText());
        long created = info.get("creation_timestamp_ms").asLong();
        assertTrue(created >= before && created <= System.currentTimeMillis(), "creation time " + created);
        assertEquals(created, info.get("last_updated_timestamp_ms").asLong());
        assertEquals(Map.of("mlflow.source.name", "train.py", "team", "nlp"), pairs(info.get("tags")));
        assertEquals(Map.of("alpha", "0.5", "vocab", "20000"), pairs(model.get("data").get("params")));
        assertEquals(0, model.get("data").get("metrics").size());
        assertEquals(model, server.http().get("logged-models/" + id).ok().get("model"));
        // the /ajax-api prefix serves the same
        assertEquals(model, server.http().send("GET", "/ajax-api/2.0/mlflow/logged-models/" + id, null).ok().get("model"));
    }

    @Test
    void aModelWithoutNameGetsAGeneratedOne() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        JsonNode a = create(body).get("info");
        JsonNode b = create(body).get("info");
        assertFalse(a.get("name").asText().isBlank());
        assertNotEquals(a.get("model_id").asText(), b.get("model_id").asText());
        // as a real MLflow 3 server answers: empty strings, not absent fields
        assertEquals("", a.path("source_run_id").asText("absent"), a.toString());
        assertEquals("", a.path("model_type").asText("absent"), a.toString());
    }

    @Test
    void createIsRefusedForBadInput() {
        server.http().post("logged-models", Map.of("name", "x")).error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("logged-models", Map.of("experiment_id", "987654")).error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().post("logged-models", Map.of("experiment_id", experimentId, "name", "a/b"))
                .error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("logged-models", Map.of("experiment_id", experimentId, "params", "alpha"))
                .error(400, "INVALID_PARAMETER_VALUE");
        String deleted = server.http().createExperiment("gone");
        server.http().post("experiments/delete", Map.of("experiment_id", deleted)).ok();
        server.http().post("logged-models", Map.of("experiment_id", deleted)).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void finalizeTagsParamsAndDelete() {
        String id = create(createBody("lifecycle")).get("info").get("model_id").asText();

        JsonNode ready = patch("logged-models/" + id, Map.of("model_id", id, "status", "LOGGED_MODEL_READY")).ok().get("model");
        assertEquals("LOGGED_MODEL_READY", ready.get("info").get("status").asText());
        JsonNode failed = patch("logged-models/" + id, Map.of("model_id", id, "status", "LOGGED_MODEL_UPLOAD_FAILED"))
                .ok().get("model");
        assertEquals("LOGGED_MODEL_UPLOAD_FAILED", failed.get("info").get("status").asText());
        patch("logged-models/" + id, Map.of("model_id", id, "status", "LOGGED_MODEL_READY")).ok();
        patch("logged-models/" + id, Map.of("model_id", id, "status", "DONE")).error(400, "INVALID_PARAMETER_VALUE");
        patch("logged-models/" + id, Map.of("model_id", id)).error(400, "INVALID_PARAMETER_VALUE");

        // rest_store sends the tags alone, the model id only in the path
        patch("logged-models/" + id + "/tags", Map.of("tags", List.of(kv("team", "search"), kv("stage", "candidate")))).ok();
        JsonNode tagged = server.http().get("logged-models/" + id).ok().get("model");
        assertEquals(Map.of("mlflow.source.name", "train.py", "stage", "candidate", "team", "search"),
                pairs(tagged.get("info").get("tags")));
        // and deletes a tag without a body
        server.http().send("DELETE", RawHttp.PREFIX + "logged-models/" + id + "/tags/stage", null).ok();
        server.http().send("DELETE", RawHttp.PREFIX + "logged-models/" + id + "/tags/mlflow.source.name", null).ok();
        server.http().send("DELETE", RawHttp.PREFIX + "logged-models/" + id + "/tags/stage", null)
                .error(404, "RESOURCE_DOES_NOT_EXIST");

        server.http().post("logged-models/" + id + "/params",
                Map.of("model_id", id, "params", List.of(kv("epochs", "3"), kv("alpha", "0.5")))).ok();
        String msg = server.http().post("logged-models/" + id + "/params",
                Map.of("model_id", id, "params", List.of(kv("alpha", "0.9")))).error(400, "INVALID_PARAMETER_VALUE");
        assertTrue(msg.contains("alpha"), msg);

        JsonNode model = server.http().get("logged-models/" + id).ok().get("model");
        assertEquals("LOGGED_MODEL_READY", model.get("info").get("status").asText());
        assertEquals(Map.of("team", "search"), pairs(model.get("info").get("tags")));
        assertEquals(Map.of("alpha", "0.5", "epochs", "3", "vocab", "20000"), pairs(model.get("data").get("params")));
        assertTrue(model.get("info").get("last_updated_timestamp_ms").asLong()
                >= model.get("info").get("creation_timestamp_ms").asLong());

        delete("logged-models/" + id, Map.of("model_id", id)).ok();
        String gone = server.http().get("logged-models/" + id).error(404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals("Logged model with ID '" + id + "' not found.", gone);
        delete("logged-models/" + id, Map.of("model_id", id)).error(404, "RESOURCE_DOES_NOT_EXIST");
        patch("logged-models/" + id, Map.of("model_id", id, "status", "LOGGED_MODEL_READY")).error(404, "RESOURCE_DOES_NOT_EXIST");
        JsonNode found = server.http().post("logged-models/search", Map.of("experiment_ids", List.of(experimentId))).ok();
        found.get("models").forEach(m -> assertNotEquals(id, m.get("info").get("model_id").asText()));
    }

    @Test
    void unknownModelsAndEndpoints() {
        server.http().get("logged-models/m-00000000000000000000000000000000").error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().get("logged-models/m-00000000000000000000000000000000/artifacts/directories")
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().send("PUT", RawHttp.PREFIX + "logged-models", "{}").error(404, "ENDPOINT_NOT_FOUND");
        server.http().get("logged-models/m-1/unknown").error(404, "ENDPOINT_NOT_FOUND");
    }

    @Test
    void artifactsUploadedThroughTheProxyAreListedAndDownloaded() {
        JsonNode info = create(createBody("with-files")).get("info");
        String id = info.get("model_id").asText();
        String root = info.get("artifact_uri").asText();
        // what an MLflow 3 client does with the artifact URI mlflow-artifacts:/<exp>/models/<id>/artifacts
        String proxied = "/api/2.0/mlflow-artifacts/artifacts/" + root.substring("mlflow-artifacts:/".length());
        JsonNode empty = server.http().get("logged-models/" + id + "/artifacts/directories").ok();
        assertEquals(root, empty.get("root_uri").asText());
        assertEquals(0, empty.path("files").size(), empty.toString());
        String mlmodel = "artifact_path: model\nmodel_id: " + id + "\nflavors:\n  python_function: {}\n";
        server.http().send("PUT", proxied + "/MLmodel", mlmodel).ok();
        server.http().send("PUT", proxied + "/data/weights.txt", "0.1 0.2 0.3").ok();

        JsonNode top = server.http().get("logged-models/" + id + "/artifacts/directories").ok();
        assertEquals(root, top.get("root_uri").asText());
        List<String> paths = new ArrayList<>();
        top.get("files").forEach(f -> paths.add(f.get("path").asText() + (f.get("is_dir").asBoolean() ? "/" : "")));
        assertEquals(List.of("MLmodel", "data/"), paths.stream().sorted().toList());
        JsonNode data = server.http().get("logged-models/" + id + "/artifacts/directories",
                "artifact_directory_path", "data").ok();
        assertEquals(1, data.get("files").size());
        assertEquals("data/weights.txt", data.get("files").get(0).get("path").asText());
        assertEquals(11, data.get("files").get(0).get("file_size").asLong());

        RawHttp.Response file = server.http().get("logged-models/" + id + "/artifacts/files", "artifact_file_path", "MLmodel");
        RawHttp.assertStatus(200, file);
        assertEquals(mlmodel, file.body());
        assertEquals(mlmodel, server.http().send("GET", proxied + "/MLmodel", null).body());
        assertEquals("0.1 0.2 0.3", server.http().send("GET", "/ajax-api/2.0/mlflow/logged-models/" + id
                + "/artifacts/files?artifact_file_path=data/weights.txt", null).body());
        server.http().get("logged-models/" + id + "/artifacts/files", "artifact_file_path", "nope")
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().get("logged-models/" + id + "/artifacts/files").error(400, "BAD_REQUEST");
        server.http().get("logged-models/" + id + "/artifacts/files", "artifact_file_path", "../../other")
                .error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void runOutputsAndModelInputsRoundTrip() {
        String producer = server.http().createRun(experimentId, "producer");
        String consumer = server.http().createRun(experimentId, "consumer");
        String a = create(createBody("out-a")).get("info").get("model_id").asText();
        String b = create(createBody("out-b")).get("info").get("model_id").asText();
        server.http().post("runs/outputs", Map.of("run_id", producer,
                "models", List.of(Map.of("model_id", a, "step", 0), Map.of("model_id", b, "step", "5")))).ok();
        // an MLflow 3 client leaves out the empty datasets
        server.http().post("runs/log-inputs", Map.of("run_id", consumer, "models", List.of(Map.of("model_id", a)))).ok();

        JsonNode produced = server.http().run(producer);
        JsonNode outputs = produced.get("outputs").get("model_outputs");
        assertEquals(2, outputs.size(), produced.toString());
        assertEquals(a, outputs.get(0).get("model_id").asText());
        assertEquals(0, outputs.get(0).get("step").asLong());
        assertEquals(b, outputs.get(1).get("model_id").asText());
        assertEquals(5, outputs.get(1).get("step").asLong());
        assertFalse(produced.get("inputs").has("model_inputs"), produced.toString());

        JsonNode consumed = server.http().run(consumer);
        assertEquals(a, consumed.get("inputs").get("model_inputs").get(0).get("model_id").asText());
        assertFalse(consumed.has("outputs"), consumed.toString());

        JsonNode searched = server.http().post("runs/search", Map.of("experiment_ids", List.of(experimentId),
                "filter", "attributes.run_name = 'producer'")).ok().get("runs").get(0);
        assertEquals(outputs, searched.get("outputs").get("model_outputs"));

        // a run without any keeps the 2.x shape exactly: no outputs, no model_inputs
        JsonNode plain = server.http().run(runId);
        assertFalse(plain.has("outputs"));
        assertEquals(List.of("dataset_inputs"), fieldNames(plain.get("inputs")));

        server.http().post("runs/outputs", Map.of("run_id", producer, "models", List.of(Map.of("model_id", a))))
                .error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("runs/outputs", Map.of("run_id", "nope", "models", List.of(Map.of("model_id", a, "step", 1))))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().post("runs/log-inputs", Map.of("run_id", consumer, "models", List.of(Map.of("step", 1))))
                .error(400, "INVALID_PARAMETER_VALUE");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRegistryVersionFromALoggedModelResolvesToItsFiles() {
        JsonNode info = create(createBody("registered")).get("info");
        String id = info.get("model_id").asText();
        server.http().post("registered-models/create", Map.of("name", "sentiment-classifier")).ok();
        // MLflow 3's register_model("models:/m-...") sends the source and the model id
        JsonNode v1 = server.http().post("model-versions/create", Map.of("name", "sentiment-classifier",
                "source", "models:/" + id, "run_id", runId, "model_id", id)).ok().get("model_version");
        assertEquals(id, v1.get("model_id").asText());
        assertEquals("models:/" + id, v1.get("source").asText());
        // a source alone names the logged model too
        JsonNode v2 = server.http().post("model-versions/create", Map.of("name", "sentiment-classifier",
                "source", "models:/" + id)).ok().get("model_version");
        assertEquals(id, v2.get("model_id").asText());
        assertEquals(runId, v2.get("run_id").asText()); // the logged model's run, as MLflow 3 fills it in
        for (String version : List.of("1", "2")) {
            JsonNode uri = server.http().get("model-versions/get-download-uri", "name", "sentiment-classifier",
                    "version", version).ok();
            assertEquals(info.get("artifact_uri").asText(), uri.get("artifact_uri").asText());
        }
        assertEquals(id, server.http().get("model-versions/get", "name", "sentiment-classifier", "version", "1")
                .ok().get("model_version").get("model_id").asText());
        // the logged model lists the versions made from it, as MLflow 3's server writes the tag
        String versions = null;
        for (JsonNode t : server.http().get("logged-models/" + id).ok().get("model").get("info").get("tags")) {
            if (t.get("key").asText().equals("mlflow.modelVersions")) {
                versions = t.get("value").asText();
            }
        }
        assertEquals("[{\"name\": \"sentiment-classifier\", \"version\": 1}, {\"name\": \"sentiment-classifier\", \"version\": 2}]",
                versions);
        // a 2.x version is unchanged: no model_id, runs:/ resolved to the run
        JsonNode v3 = server.http().post("model-versions/create", Map.of("name", "sentiment-classifier",
                "source", "runs:/" + runId + "/model", "run_id", runId)).ok().get("model_version");
        assertFalse(v3.has("model_id"), v3.toString());
        String runArtifacts = server.http().run(runId).get("info").get("artifact_uri").asText();
        assertEquals(runArtifacts + "/model", server.http().get("model-versions/get-download-uri",
                "name", "sentiment-classifier", "version", "3").ok().get("artifact_uri").asText());
    }
}
