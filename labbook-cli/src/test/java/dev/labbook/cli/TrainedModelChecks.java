package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.registry.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * What {@code labbook train} must leave on a server for MLflow 3 users: a READY logged model of
 * the run holding the model's files, its scores and params, an output of the run, and (when
 * registered) a registry version linked to it.
 */
final class TrainedModelChecks {
    private TrainedModelChecks() {}

    /** Checks the logged model of {@code runId} over the REST API; returns it. */
    static LoggedModel loggedModelOf(TrackingClient client, String runId) {
        Run run = client.getRun(runId);
        List<LoggedModel> models = client.loggedModels().searchLoggedModels(List.of(run.info().experimentId()),
                "source_run_id = '" + runId + "'", 10, null).items();
        assertEquals(1, models.size(), models.toString());
        LoggedModel m = models.get(0);
        assertEquals(LoggedModelStatus.LOGGED_MODEL_READY, m.info().status());
        assertEquals("sentiment-nblr", m.info().name());
        assertEquals("nblr", m.info().modelType());
        assertNotNull(run.outputs(), "the run lists its model as an output");
        assertEquals(m.info().modelId(), run.outputs().modelOutputs().get(0).modelId());
        assertTrue(m.data().params().stream().anyMatch(p -> p.key().equals("model") && p.value().equals("nblr")), m.data().params().toString());
        double runAccuracy = run.data().metrics().stream().filter(x -> x.key().equals("test_accuracy")).findFirst().orElseThrow().value();
        Metric accuracy = m.data().metrics().stream().filter(x -> x.key().equals("test_accuracy")).findFirst().orElseThrow();
        assertEquals(runAccuracy, accuracy.value());
        assertEquals(m.info().modelId(), accuracy.modelId());
        assertTrue(m.data().metrics().stream().noneMatch(x -> x.key().endsWith("_seconds")), "timings are the run's, not the model's");
        JsonNode files = client.get("logged-models/" + m.info().modelId() + "/artifacts/directories", Map.of());
        List<String> names = new java.util.ArrayList<>();
        files.path("files").forEach(f -> names.add(f.path("path").asText()));
        assertTrue(names.contains("MLmodel"), "the logged model holds the model's files: " + names);
        return m;
    }

    /** Checks a registered version made by {@code --register-model} or quickstart. */
    static void registeredFrom(ModelVersion v, LoggedModel m, String runId) {
        assertEquals(m.info().modelId(), v.modelId());
        assertEquals("models:/" + m.info().modelId(), v.source());
        assertEquals(runId, v.runId());
        assertTrue(v.tags().stream().anyMatch(t -> t.key().equals("test_accuracy")), v.tags().toString());
        assertTrue(v.tags().stream().noneMatch(t -> t.key().endsWith("_seconds")), v.tags().toString());
    }
}
