package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** runs/log-inputs (not in the Java client): datasets on the run and dataset search filters. */
class RawHttpLogInputsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;
    /** Runs of the tests that do not search, kept out of the searched experiment. */
    private static String scratchExperimentId;
    private static String runA;
    private static String runB;
    private static String runC;

    @BeforeAll
    static void logInputs() {
        RawHttp http = server.http();
        experimentId = http.createExperiment("inputs");
        scratchExperimentId = http.createExperiment("inputs-scratch");
        runA = http.createRun(experimentId, "a");
        runB = http.createRun(experimentId, "b");
        runC = http.createRun(experimentId, "no-inputs");
        http.post("runs/log-inputs", Map.of("run_id", runA, "datasets", List.of(
                input("training", dataset("imdb", "abc123", "{\"num_rows\": 25000}")),
                input("eval", dataset("imdb-test", "def456", null))))).ok();
        http.post("runs/log-inputs", Map.of("run_id", runB, "datasets", List.of(
                input("eval", dataset("imdb", "abc123", "{\"num_rows\": 25000}"))))).ok();
    }

    static Map<String, Object> dataset(String name, String digest, String profile) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("digest", digest);
        d.put("source_type", "local");
        d.put("source", "{\"uri\": \"/data/" + name + "\"}");
        d.put("schema", "{\"mlflow_colspec\": [{\"name\": \"text\", \"type\": \"string\"}]}");
        if (profile != null) {
            d.put("profile", profile);
        }
        return d;
    }

    static Map<String, Object> input(String context, Map<String, Object> dataset) {
        return Map.of("tags", List.of(kv("mlflow.data.context", context), kv("origin", "test")), "dataset", dataset);
    }

    /** name -> the dataset input of that name, from runs/get. */
    private static Map<String, JsonNode> inputsByName(String runId) {
        JsonNode inputs = server.http().run(runId).path("inputs").path("dataset_inputs");
        Map<String, JsonNode> out = new HashMap<>();
        inputs.forEach(i -> out.put(i.get("dataset").get("name").asText(), i));
        assertEquals(inputs.size(), out.size(), "a dataset listed twice: " + inputs);
        return out;
    }

    private static Map<String, String> tags(JsonNode input) {
        Map<String, String> out = new HashMap<>();
        input.path("tags").forEach(t -> out.put(t.get("key").asText(), t.get("value").asText()));
        return out;
    }

    @Test
    void getRunShowsTheDatasetsAndTheirTags() {
        Map<String, JsonNode> a = inputsByName(runA);
        assertEquals(Set.of("imdb", "imdb-test"), a.keySet());
        JsonNode imdb = a.get("imdb").get("dataset");
        assertEquals("abc123", imdb.get("digest").asText());
        assertEquals("local", imdb.get("source_type").asText());
        assertEquals("{\"uri\": \"/data/imdb\"}", imdb.get("source").asText());
        assertEquals("{\"mlflow_colspec\": [{\"name\": \"text\", \"type\": \"string\"}]}", imdb.get("schema").asText());
        assertEquals("{\"num_rows\": 25000}", imdb.get("profile").asText());
        assertEquals(Map.of("mlflow.data.context", "training", "origin", "test"), tags(a.get("imdb")));
        assertEquals(Map.of("mlflow.data.context", "eval", "origin", "test"), tags(a.get("imdb-test")));

        // the same dataset on another run carries that run's tags
        Map<String, JsonNode> b = inputsByName(runB);
        assertEquals(Set.of("imdb"), b.keySet());
        assertEquals("eval", tags(b.get("imdb")).get("mlflow.data.context"));

        assertTrue(inputsByName(runC).isEmpty());
    }

    @Test
    void loggingTheSameInputAgainIsIdempotent() {
        String run = server.http().createRun(scratchExperimentId, "twice");
        for (int i = 0; i < 2; i++) {
            server.http().post("runs/log-inputs", Map.of("run_id", run, "datasets",
                    List.of(input("training", dataset("twice-ds", "d1", null))))).ok();
        }
        assertEquals(Set.of("twice-ds"), inputsByName(run).keySet());
    }

    private Set<String> search(String filter) {
        JsonNode body = server.http().post("runs/search", Map.of("experiment_ids", List.of(experimentId),
                "filter", filter, "max_results", 100)).ok();
        Set<String> out = new HashSet<>();
        body.path("runs").forEach(r -> out.add(r.get("info").get("run_id").asText()));
        return out;
    }

    @Test
    void searchByDataset() {
        assertEquals(Set.of(runA, runB), search("datasets.name = 'imdb'"));
        assertEquals(Set.of(runA), search("datasets.name = 'imdb-test'"));
        assertEquals(Set.of(runA, runB), search("datasets.name LIKE 'imdb%'"));
        assertEquals(Set.of(runA, runB), search("datasets.digest = 'abc123'"));
        assertEquals(Set.of(runA), search("datasets.context = 'training'"));
        assertEquals(Set.of(runA, runB), search("datasets.context = 'eval'"));
        assertEquals(Set.of(runA), search("datasets.name = 'imdb' AND datasets.context = 'training'"));
        assertEquals(Set.of(), search("datasets.name = 'mnist'"));
        assertEquals(Set.of(runA, runB), search("datasets.name IN ('imdb', 'mnist')"));
    }

    @Test
    void badInputsAreRejected() {
        RawHttp http = server.http();
        String run = http.createRun(scratchExperimentId, "bad-inputs");
        Map<String, Object> noDigest = new LinkedHashMap<>(dataset("x", "d", null));
        noDigest.remove("digest");
        http.post("runs/log-inputs", Map.of("run_id", run, "datasets", List.of(Map.of("dataset", noDigest))))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-inputs", Map.of("run_id", run, "datasets", List.of(Map.of("tags", List.of()))))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-inputs", Map.of("run_id", run, "datasets", "imdb"))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-inputs", Map.of("datasets", List.of(input("training", dataset("x", "d", null)))))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.post("runs/log-inputs", Map.of("run_id", "0000000000000000000000000000dead",
                "datasets", List.of(input("training", dataset("x", "d", null)))))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        assertTrue(inputsByName(run).isEmpty());

        http.post("runs/delete", Map.of("run_id", run)).ok();
        http.post("runs/log-inputs", Map.of("run_id", run, "datasets", List.of(input("training", dataset("x", "d", null)))))
                .error(400, "INVALID_PARAMETER_VALUE");
    }
}
