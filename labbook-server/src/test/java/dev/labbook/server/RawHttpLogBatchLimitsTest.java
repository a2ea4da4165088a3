package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MLflow's log-batch and value limits: 1000 metrics, 100 params, 100 tags, 1000 items, 1 MB;
 * keys of 250 characters, param values of 6000, tag values of 5000. A rejected batch is a 400
 * INVALID_PARAMETER_VALUE and stores nothing at all.
 */
class RawHttpLogBatchLimitsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;

    @BeforeAll
    static void createExperiment() {
        experimentId = server.http().createExperiment("limits");
    }

    private static RawHttp http() {
        return server.http();
    }

    private static String newRun(String name) {
        return http().createRun(experimentId, name);
    }

    private static List<Map<String, Object>> metrics(String prefix, int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(metric(prefix + i, i * 0.5, 1000 + i, i));
        }
        return out;
    }

    private static List<Map<String, Object>> kvs(String prefix, int n, String value) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(kv(prefix + i, value));
        }
        return out;
    }

    private static Map<String, Object> batch(String runId, List<Map<String, Object>> metrics,
            List<Map<String, Object>> params, List<Map<String, Object>> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("metrics", metrics);
        body.put("params", params);
        body.put("tags", tags);
        return body;
    }

    /** Asserts the run holds no metric, no param and no tag but the run name. */
    private static void assertNothingStored(String runId) {
        JsonNode run = http().run(runId);
        JsonNode data = run.path("data");
        assertEquals(List.of(), RawHttp.keys(data.path("metrics")), "metrics of a rejected batch were stored");
        assertEquals(List.of(), RawHttp.keys(data.path("params")), "params of a rejected batch were stored");
        assertEquals(List.of("mlflow.runName"), RawHttp.keys(data.path("tags")), "tags of a rejected batch were stored");
    }

    private static void assertRejected(Map<String, Object> body) {
        String runId = (String) body.get("run_id");
        http().post("runs/log-batch", body).error(400, "INVALID_PARAMETER_VALUE");
        assertNothingStored(runId);
    }

    @Test
    void tooManyMetrics() {
        String run = newRun("1001-metrics");
        assertRejected(batch(run, metrics("m", 1001), List.of(), List.of()));
    }

    @Test
    void tooManyParams() {
        String run = newRun("101-params");
        assertRejected(batch(run, metrics("m", 3), kvs("p", 101, "v"), List.of()));
    }

    @Test
    void tooManyTags() {
        String run = newRun("101-tags");
        assertRejected(batch(run, metrics("m", 3), List.of(), kvs("t", 101, "v")));
    }

    @Test
    void tooManyItemsInTotal() {
        String run = newRun("1001-items");
        assertRejected(batch(run, metrics("m", 950), kvs("p", 51, "v"), List.of()));
        assertRejected(batch(run, metrics("m", 901), kvs("p", 50, "v"), kvs("t", 50, "v")));
    }

    @Test
    void bodyOverOneMegabyte() {
        String run = newRun("big-body");
        // every item within its own limits, 100 params and 100 tags, ~1.1 MB together
        Map<String, Object> body = batch(run, metrics("m", 10), kvs("p", 100, "x".repeat(6000)), kvs("t", 100, "y".repeat(5000)));
        assertTrue(RawHttp.write(body).length() > 1_048_576);
        assertRejected(body);
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        String run = newRun("at-limits");
        http().post("runs/log-batch", batch(run, metrics("m", 1000), List.of(), List.of())).ok();
        http().post("runs/log-batch", batch(run, List.of(), kvs("p", 100, "v"), List.of())).ok();
        http().post("runs/log-batch", batch(run, List.of(), List.of(), kvs("t", 100, "v"))).ok();
        http().post("runs/log-batch", batch(run, metrics("n", 800), kvs("q", 100, "v"), kvs("u", 100, "v"))).ok();
        String key = "k".repeat(250);
        http().post("runs/log-batch", batch(run, List.of(metric(key, 1, 1, 1)), List.of(kv(key, "p".repeat(6000))),
                List.of(kv(key, "t".repeat(5000))))).ok();
        JsonNode data = http().run(run).get("data");
        assertEquals(1801, data.get("metrics").size());
        assertEquals(201, data.get("params").size());
        assertEquals(202, data.get("tags").size()); // + mlflow.runName
    }

    @Test
    void oneOverlongKeyOrValueRejectsTheWholeBatch() {
        String key251 = "k".repeat(251);
        List<Map<String, Object>> ok = metrics("m", 5);

        String a = newRun("long-metric-key");
        List<Map<String, Object>> withLongKey = new ArrayList<>(ok);
        withLongKey.add(metric(key251, 1, 1, 1));
        assertRejected(batch(a, withLongKey, kvs("p", 2, "v"), kvs("t", 2, "v")));

        String b = newRun("long-param-key");
        assertRejected(batch(b, ok, List.of(kv("fine", "v"), kv(key251, "v")), kvs("t", 2, "v")));

        String c = newRun("long-tag-key");
        assertRejected(batch(c, ok, kvs("p", 2, "v"), List.of(kv("fine", "v"), kv(key251, "v"))));

        String d = newRun("long-param-value");
        assertRejected(batch(d, ok, List.of(kv("fine", "v"), kv("long", "x".repeat(6001))), kvs("t", 2, "v")));

        String e = newRun("long-tag-value");
        assertRejected(batch(e, ok, kvs("p", 2, "v"), List.of(kv("fine", "v"), kv("long", "x".repeat(5001)))));

        String f = newRun("bad-metric-value");
        List<Map<String, Object>> withBadValue = new ArrayList<>(ok);
        withBadValue.add(metric("bad", "notanumber", 1, 1));
        assertRejected(batch(f, withBadValue, kvs("p", 2, "v"), kvs("t", 2, "v")));

        String g = newRun("metric-without-key");
        List<Map<String, Object>> withoutKey = new ArrayList<>(ok);
        Map<String, Object> keyless = new HashMap<>(metric("x", 1, 1, 1));
        keyless.remove("key");
        withoutKey.add(keyless);
        assertRejected(batch(g, withoutKey, kvs("p", 2, "v"), kvs("t", 2, "v")));

        String h = newRun("metric-without-value");
        List<Map<String, Object>> withoutValue = new ArrayList<>(ok);
        Map<String, Object> valueless = new HashMap<>(metric("x", 1, 1, 1));
        valueless.remove("value");
        withoutValue.add(valueless);
        assertRejected(batch(h, withoutValue, kvs("p", 2, "v"), kvs("t", 2, "v")));
    }

    @Test
    void aParamConflictingWithAStoredOneRejectsTheWholeBatch() {
        String run = newRun("conflict");
        http().post("runs/log-parameter", Map.of("run_id", run, "key", "lr", "value", "0.1")).ok();
        http().post("runs/log-batch", batch(run, metrics("m", 20), List.of(kv("new", "1"), kv("lr", "0.2")),
                List.of(kv("t", "v")))).error(400, "INVALID_PARAMETER_VALUE");
        JsonNode data = http().run(run).get("data");
        assertEquals(List.of(), RawHttp.keys(data.path("metrics")));
        assertEquals(List.of("lr"), RawHttp.keys(data.path("params")));
        assertEquals("0.1", data.get("params").get(0).get("value").asText());
        assertEquals(List.of("mlflow.runName"), RawHttp.keys(data.path("tags")));
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of(), http().history(run, "m" + i));
        }
        // the same value again is fine
        http().post("runs/log-batch", batch(run, metrics("m", 2), List.of(kv("lr", "0.1")), List.of())).ok();
    }

    @Test
    void oneBatchGivingAParamTwiceIsRejected() {
        String run = newRun("self-conflict");
        assertRejected(batch(run, metrics("m", 2), List.of(kv("p", "1"), kv("p", "2")), List.of()));
        // as in MLflow, even with the same value twice
        assertRejected(batch(run, metrics("m", 2), List.of(kv("p", "1"), kv("p", "1")), List.of()));
    }

    @Test
    void singleItemLimits() {
        String run = newRun("single-limits");
        String key250 = "k".repeat(250);
        String key251 = "k".repeat(251);
        http().post("runs/log-metric", Map.of("run_id", run, "key", key251, "value", 1, "timestamp", 1, "step", 0))
                .error(400, "INVALID_PARAMETER_VALUE");
        http().post("runs/log-parameter", Map.of("run_id", run, "key", key251, "value", "v"))
                .error(400, "INVALID_PARAMETER_VALUE");
        http().post("runs/log-parameter", Map.of("run_id", run, "key", "p", "value", "x".repeat(6001)))
                .error(400, "INVALID_PARAMETER_VALUE");
        http().post("runs/set-tag", Map.of("run_id", run, "key", key251, "value", "v"))
                .error(400, "INVALID_PARAMETER_VALUE");
        http().post("runs/set-tag", Map.of("run_id", run, "key", "t", "value", "x".repeat(5001)))
                .error(400, "INVALID_PARAMETER_VALUE");
        assertNothingStored(run);

        http().post("runs/log-metric", Map.of("run_id", run, "key", key250, "value", 1, "timestamp", 1, "step", 0)).ok();
        http().post("runs/log-parameter", Map.of("run_id", run, "key", key250, "value", "x".repeat(6000))).ok();
        http().post("runs/set-tag", Map.of("run_id", run, "key", key250, "value", "x".repeat(5000))).ok();
        JsonNode data = http().run(run).get("data");
        assertEquals(List.of(key250), RawHttp.keys(data.get("metrics")));
        assertEquals(6000, data.get("params").get(0).get("value").asText().length());
    }

    @Test
    void experimentLimits() {
        RawHttp http = http();
        String id = http.createExperiment("limits-exp");
        http.post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k".repeat(251), "value", "v"))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k", "value", "x".repeat(5001)))
                .error(400, "INVALID_PARAMETER_VALUE");
        assertEquals(0, http.get("experiments/get", "experiment_id", id).ok().get("experiment").path("tags").size());
        http.post("experiments/create", Map.of("name", "with-long-tag", "tags", List.of(kv("k".repeat(251), "v"))))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("experiments/get-by-name", "experiment_name", "with-long-tag").error(404, "RESOURCE_DOES_NOT_EXIST");
    }
}
