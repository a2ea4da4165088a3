package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fields are type-checked as MLflow's request schemas check them (handlers.py,
 * {@code _get_request_message} with {@code _assert_string}, {@code _assert_intlike},
 * {@code _assert_required}...): a number where a string belongs is a 400 INVALID_PARAMETER_VALUE
 * with MLflow's message, not an experiment named "123" or a 404 for run "123"; required fields
 * are required. int64 fields still take strings, as protobuf's JSON mapping prints them.
 */
class RawHttpTypeChecksTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String INVALID = "INVALID_PARAMETER_VALUE";
    private static String experimentId;
    private static String runId;

    @BeforeAll
    static void createRun() {
        experimentId = server.http().createExperiment("type-checks");
        runId = server.http().createRun(experimentId, "target");
    }

    private static RawHttp http() {
        return server.http();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** MLflow: "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. See the API docs ...". */
    @Test
    void aNumberForTheExperimentNameIsRefusedWithMlflowsMessage() {
        String message = http().post("experiments/create", "{\"name\": 123}").error(400, INVALID);
        assertEquals("Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. "
                + "See the API docs for more information about request parameters.", message);
        http().get("experiments/get-by-name", "experiment_name", "123").error(404, "RESOURCE_DOES_NOT_EXIST");
        assertTrue(http().post("experiments/create", "{\"name\": true}").error(400, INVALID).contains("of type 'bool'"));
        assertTrue(http().post("experiments/create", "{\"name\": 1.5}").error(400, INVALID).contains("of type 'float'"));
        assertTrue(http().post("experiments/create", "{\"name\": {\"a\": 1}}").error(400, INVALID)
                .startsWith("Invalid value {\"a\":1} for parameter 'name' supplied:  Hint: Value was of type 'dict'."));
        assertTrue(http().post("experiments/create", "{\"name\": [\"x\"]}").error(400, INVALID).contains("of type 'list'"));
        assertTrue(http().post("experiments/create", "{\"name\": \"typed\", \"artifact_location\": 5}")
                .error(400, INVALID).contains("'artifact_location'"));
        http().get("experiments/get-by-name", "experiment_name", "typed").error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** MLflow answers a numeric run_id with 400 (schema), never with a 404 for run "123". */
    @Test
    void aNumericRunIdIsA400() {
        List<Object[]> cases = List.of(
                new Object[] {"runs/log-metric", map("run_id", 123, "key", "m", "value", 1, "timestamp", 1)},
                new Object[] {"runs/log-parameter", map("run_id", 123, "key", "p", "value", "v")},
                new Object[] {"runs/set-tag", map("run_id", 123, "key", "t", "value", "v")},
                new Object[] {"runs/delete-tag", map("run_id", 123, "key", "t")},
                new Object[] {"runs/update", map("run_id", 123, "status", "FINISHED")},
                new Object[] {"runs/delete", map("run_id", 123)},
                new Object[] {"runs/restore", map("run_id", 123)},
                new Object[] {"runs/log-batch", map("run_id", 123, "metrics", List.of(RawHttp.metric("m", 1, 1, 0)))},
                new Object[] {"runs/log-inputs", map("run_id", 123, "datasets", List.of())},
                new Object[] {"runs/create", map("experiment_id", 0)},
                new Object[] {"experiments/delete", map("experiment_id", 0)},
                new Object[] {"experiments/set-experiment-tag", map("experiment_id", 0, "key", "k", "value", "v")});
        for (Object[] c : cases) {
            String message = http().post((String) c[0], c[1]).error(400, INVALID);
            assertTrue(message.startsWith("Invalid value "), c[0] + ": " + message);
            assertTrue(message.contains("Value was of type 'int'"), c[0] + ": " + message);
        }
    }

    @Test
    void stringsWhereStringsBelong() {
        List<Object[]> cases = List.of(
                new Object[] {"runs/log-parameter", map("run_id", runId, "key", "p", "value", 5)},
                new Object[] {"runs/set-tag", map("run_id", runId, "key", "t", "value", false)},
                new Object[] {"runs/set-tag", map("run_id", runId, "key", 7, "value", "v")},
                new Object[] {"runs/create", map("experiment_id", experimentId, "run_name", 42)},
                new Object[] {"runs/create", map("experiment_id", experimentId, "tags", List.of(map("key", "k", "value", 1)))},
                new Object[] {"runs/log-batch", map("run_id", runId, "params", List.of(map("key", "p", "value", 0.1)))},
                new Object[] {"runs/log-batch", map("run_id", runId, "tags", List.of(map("key", 3, "value", "v")))},
                new Object[] {"runs/search", map("experiment_ids", List.of(1))},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "order_by", List.of(1))},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "page_token", 3)},
                new Object[] {"experiments/search", map("filter", 1)},
                new Object[] {"experiments/update", map("experiment_id", experimentId, "new_name", 9)},
                new Object[] {"registered-models/create", map("name", 1)},
                new Object[] {"model-versions/create", map("name", "m", "source", 1)});
        for (Object[] c : cases) {
            assertTrue(http().post((String) c[0], c[1]).error(400, INVALID).startsWith("Invalid value "), (String) c[0]);
        }
        assertEquals(List.of(), RawHttp.keys(http().run(runId).get("data").path("params")));
        assertEquals(List.of(), RawHttp.keys(http().run(runId).get("data").path("tags")).stream()
                .filter(k -> !k.startsWith("mlflow.")).toList());
    }

    /** int64 fields take a JSON integer or a string holding one; nothing else. */
    @Test
    void integersAsNumbersOrStrings() {
        http().post("runs/log-metric", map("run_id", runId, "key", "ints", "value", 1, "timestamp", "1700000000000", "step", "3")).ok();
        http().post("runs/log-metric", map("run_id", runId, "key", "ints", "value", "0.5", "timestamp", 1700000000001L, "step", 4)).ok();
        assertEquals(2, http().history(runId, "ints").size());
        for (Object bad : List.of(1.5, true, "soon", List.of(1), map("t", 1))) {
            String message = http().post("runs/log-metric", map("run_id", runId, "key", "ints", "value", 1, "timestamp", bad))
                    .error(400, INVALID);
            assertTrue(message.contains("for parameter 'timestamp' supplied"), message);
        }
        assertTrue(http().get("experiments/search", "max_results", "lots").error(400, INVALID)
                .startsWith("Invalid value \"lots\" for parameter 'max_results' supplied:  Hint: Value was of type 'str'."));
    }

    /**
     * With several bad fields, the one MLflow's schema lists first is named (test_rest_tracking's
     * validation tests send such requests).
     */
    @Test
    void theFirstBadFieldInMlflowsOrderIsNamed() {
        assertTrue(http().post("runs/log-parameter", map("run_id", 31, "key", "param", "value", 41))
                .error(400, INVALID).startsWith("Invalid value 31 for parameter 'run_id' supplied"));
        assertTrue(http().post("runs/log-parameter", map("run_id", runId, "key", 31, "value", 41))
                .error(400, INVALID).startsWith("Invalid value 31 for parameter 'key' supplied"));
        assertTrue(http().post("runs/set-tag", map("run_id", 31, "key", "tag", "value", 41))
                .error(400, INVALID).startsWith("Invalid value 31 for parameter 'run_id' supplied"));
        assertTrue(http().post("runs/log-metric", map("run_id", 31, "key", "metric", "value", 41, "timestamp", 59, "step", 26))
                .error(400, INVALID).startsWith("Invalid value 31 for parameter 'run_id' supplied"));
        assertTrue(http().post("runs/log-metric", map("run_id", runId, "key", 31, "value", 41, "timestamp", 59, "step", 26))
                .error(400, INVALID).startsWith("Invalid value 31 for parameter 'key' supplied"));
        assertTrue(http().post("runs/log-metric", map("run_id", runId, "key", "foo", "value", 31, "timestamp", 59, "step", "foo"))
                .error(400, INVALID).startsWith("Invalid value \"foo\" for parameter 'step' supplied"));
        assertTrue(http().post("runs/log-metric", map("run_id", runId, "key", "foo", "value", 31, "timestamp", "foo", "step", 41))
                .error(400, INVALID).startsWith("Invalid value \"foo\" for parameter 'timestamp' supplied"));
        assertTrue(http().post("experiments/create", map("name", "e", "artifact_location", 9.0, "tags", List.of(map("key", "k", "value", "v"))))
                .error(400, INVALID).startsWith("Invalid value 9.0 for parameter 'artifact_location' supplied"));
        assertTrue(http().post("experiments/create", map("name", "e", "artifact_location", "my_location", "tags", "5"))
                .error(400, INVALID).startsWith("Invalid value \"5\" for parameter 'tags' supplied"));
        for (String field : List.of("metrics", "params", "tags")) {
            assertTrue(http().post("runs/log-batch", map("run_id", runId, field, "foo"))
                    .error(400, INVALID).startsWith("Invalid value \"foo\" for parameter '" + field + "' supplied"), field);
        }
        assertTrue(http().post("runs/search", map("experiment_ids", List.of(experimentId), "max_results", 123456789))
                .error(400, INVALID).startsWith("Invalid value 123456789 for parameter 'max_results' supplied"));
    }

    @Test
    void requiredFieldsAsMlflowRequiresThem() {
        // MLflow 2.x: "Missing value for required parameter 'datasets'"
        String message = http().post("runs/log-inputs", map("run_id", runId)).error(400, INVALID);
        assertTrue(message.startsWith("Missing value for required parameter 'datasets'."), message);
        http().post("runs/log-inputs", map("datasets", List.of())).error(400, INVALID);
        http().post("runs/log-inputs", map("run_id", runId, "datasets", List.of())).ok();
        // log-metric's timestamp and experiments/update's new_name are required by MLflow's schema
        assertTrue(http().post("runs/log-metric", map("run_id", runId, "key", "m", "value", 1)).error(400, INVALID)
                .contains("'timestamp'"));
        assertTrue(http().post("experiments/update", map("experiment_id", experimentId)).error(400, INVALID)
                .contains("'new_name'"));
        assertTrue(http().post("experiments/create", map("name", "")).error(400, INVALID)
                .startsWith("Missing value for required parameter 'name'."));
    }
}
