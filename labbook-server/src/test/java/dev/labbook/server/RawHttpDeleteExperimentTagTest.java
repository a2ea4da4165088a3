package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code experiments/delete-experiment-tag}, what MLflow 3's {@code MlflowClient.delete_experiment_tag}
 * sends (test_rest_tracking's test_delete_experiment_tag), with MLflow's errors.
 */
class RawHttpDeleteExperimentTagTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void aTagIsDeleted() {
        RawHttp http = server.http();
        String exp = http.createExperiment("DeleteExperimentTagTest");
        http.post("experiments/set-experiment-tag", Map.of("experiment_id", exp, "key", "dataset", "value", "imagenet1K")).ok();
        http.post("experiments/set-experiment-tag", Map.of("experiment_id", exp, "key", "keep", "value", "k")).ok();
        http.post("experiments/delete-experiment-tag", Map.of("experiment_id", exp, "key", "dataset")).ok();
        assertEquals(List.of("keep"), RawHttp.keys(http.get("experiments/get", "experiment_id", exp).ok()
                .path("experiment").path("tags")));
        assertEquals("No tag with name: dataset in experiment with id " + exp,
                http.post("experiments/delete-experiment-tag", Map.of("experiment_id", exp, "key", "dataset"))
                        .error(404, "RESOURCE_DOES_NOT_EXIST"));
        http.post("experiments/delete-experiment-tag", Map.of("experiment_id", exp)).error(400, "INVALID_PARAMETER_VALUE");
        http.post("experiments/delete-experiment-tag", Map.of("experiment_id", 5, "key", "k")).error(400, "INVALID_PARAMETER_VALUE");
        http.post("experiments/delete-experiment-tag", Map.of("experiment_id", "987654321", "key", "k"))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        http.post("experiments/delete", Map.of("experiment_id", exp)).ok();
        http.post("experiments/delete-experiment-tag", Map.of("experiment_id", exp, "key", "keep"))
                .error(400, "INVALID_PARAMETER_VALUE");
    }
}
