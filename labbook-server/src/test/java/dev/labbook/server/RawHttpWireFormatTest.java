package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JSON forms MLflow's clients send and expect beyond what the Java client exercises:
 * 64-bit integers as strings, NaN and infinities as strings, the run_uuid alias, the
 * {@code /ajax-api} prefix of MLflow's web UI, GET searches, and runs/update.
 */
class RawHttpWireFormatTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;

    @BeforeAll
    static void createExperiment() {
        experimentId = server.http().createExperiment("wire");
    }

    private static RawHttp http() {
        return server.http();
    }

    private static Map<String, JsonNode> latestMetrics(String runId) {
        Map<String, JsonNode> out = new HashMap<>();
        http().run(runId).get("data").get("metrics").forEach(m -> out.put(m.get("key").asText(), m));
        return out;
    }

    @Test
    void nonFiniteValuesInEveryFormClientsSendThem() {
        String run = http().createRun(experimentId, "non-finite");
        // protobuf's JSON mapping (Java, Go clients) sends strings; Python's json module sends bare tokens
        http().post("runs/log-batch", "{\"run_id\": \"" + run + "\", \"metrics\": ["
                + "{\"key\": \"s-nan\", \"value\": \"NaN\", \"timestamp\": 1, \"step\": 0},"
                + "{\"key\": \"s-inf\", \"value\": \"Infinity\", \"timestamp\": 1, \"step\": 0},"
                + "{\"key\": \"s-ninf\", \"value\": \"-Infinity\", \"timestamp\": 1, \"step\": 0},"
                + "{\"key\": \"b-nan\", \"value\": NaN, \"timestamp\": 1, \"step\": 0},"
                + "{\"key\": \"b-inf\", \"value\": Infinity, \"timestamp\": 1, \"step\": 0},"
                + "{\"key\": \"b-ninf\", \"value\": -Infinity, \"timestamp\": 1, \"step\": 0}]}").ok();
        http().post("runs/log-metric", "{\"run_id\": \"" + run + "\", \"key\": \"single-nan\", \"value\": NaN, \"timestamp\": 1}").ok();

        Map<String, JsonNode> m = latestMetrics(run);
        for (String k : List.of("s-nan", "b-nan", "single-nan")) {
            assertEquals("NaN", m.get(k).get("value").asText(), k + " is written the way protobuf reads it");
            assertTrue(m.get(k).get("value").isTextual(), k);
        }
        for (String k : List.of("s-inf", "b-inf")) {
            assertEquals("Infinity", m.get(k).get("value").asText(), k);
        }
        for (String k : List.of("s-ninf", "b-ninf")) {
            assertEquals("-Infinity", m.get(k).get("value").asText(), k);
        }
        assertTrue(Double.isNaN(RawHttp.number(http().history(run, "b-nan").get(0).get("value"))));
    }

    @Test
    void int64FieldsAsStrings() {
        String run = http().post("runs/create", Map.of("experiment_id", experimentId, "run_name", "strings",
                "start_time", "1700000000123")).ok().get("run").get("info").get("run_id").asText();
        http().post("runs/log-metric", Map.of("run_id", run, "key", "m", "value", "0.25", "timestamp", "1700000000999",
                "step", "-3")).ok();
        http().post("runs/log-batch", Map.of("run_id", run, "metrics",
                List.of(Map.of("key", "m", "value", "0.5", "timestamp", "1700000001000", "step", "7")))).ok();
        http().post("runs/update", Map.of("run_id", run, "status", "FINISHED", "end_time", "1700000002000")).ok();

        JsonNode info = http().run(run).get("info");
        assertEquals(1_700_000_000_123L, info.get("start_time").asLong());
        assertEquals(1_700_000_002_000L, info.get("end_time").asLong());
        List<JsonNode> history = http().history(run, "m");
        assertEquals(2, history.size());
        assertEquals(-3, history.get(0).get("step").asLong(), "negative steps are legal");
        assertEquals(0.25, history.get(0).get("value").asDouble());
        assertEquals(1_700_000_000_999L, history.get(0).get("timestamp").asLong());
        assertEquals(7, history.get(1).get("step").asLong());
    }

    @Test
    void negativeTimestampsAreRefused() {
        String run = http().createRun(experimentId, "negative-ts");
        http().post("runs/log-metric", Map.of("run_id", run, "key", "m", "value", 1, "timestamp", -1, "step", 0))
                .error(400, "INVALID_PARAMETER_VALUE");
        http().post("runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("m", 1, -5, 0))))
                .error(400, "INVALID_PARAMETER_VALUE");
        assertTrue(latestMetrics(run).isEmpty());
    }

    @Test
    void runUuidIsAnAliasOfRunId() {
        String run = http().createRun(experimentId, "uuid");
        http().post("runs/log-parameter", Map.of("run_uuid", run, "key", "p", "value", "v")).ok();
        http().post("runs/set-tag", Map.of("run_uuid", run, "key", "t", "value", "v")).ok();
        JsonNode fetched = http().get("runs/get", "run_uuid", run).ok().get("run");
        assertEquals(run, fetched.get("info").get("run_id").asText());
        assertEquals(run, fetched.get("info").get("run_uuid").asText());
        assertEquals(List.of("p"), RawHttp.keys(fetched.get("data").get("params")));
    }

    @Test
    void theWebUiPrefixServesTheSameApi() {
        RawHttp.Response created = http().send("POST", "/ajax-api/2.0/mlflow/runs/create",
                RawHttp.write(Map.of("experiment_id", experimentId, "run_name", "ajax")));
        String run = created.ok().get("run").get("info").get("run_id").asText();
        JsonNode fetched = http().send("GET", "/ajax-api/2.0/mlflow/runs/get?run_id=" + run, null).ok();
        assertEquals("ajax", fetched.get("run").get("info").get("run_name").asText());
        http().send("GET", "/ajax-api/2.0/mlflow/runs/get?run_id=0000000000000000000000000000dead", null)
                .error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void experimentSearchByGet() {
        for (int i = 0; i < 3; i++) {
            http().createExperiment("get-search-" + i);
        }
        JsonNode page = http().get("experiments/search", "filter", "name LIKE 'get-search-%'", "max_results", "2",
                "order_by", "name DESC").ok();
        assertEquals(List.of("get-search-2", "get-search-1"), names(page));
        JsonNode next = http().get("experiments/search", "filter", "name LIKE 'get-search-%'", "max_results", "2",
                "order_by", "name DESC", "page_token", page.get("next_page_token").asText()).ok();
        assertEquals(List.of("get-search-0"), names(next));
        assertFalse(next.hasNonNull("next_page_token") && !next.get("next_page_token").asText().isEmpty());
        JsonNode deleted = http().get("experiments/search", "view_type", "DELETED_ONLY").ok();
        assertEquals(0, deleted.path("experiments").size());
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("experiments").forEach(e -> out.add(e.get("name").asText()));
        return out;
    }

    @Test
    void updateRenamesAndFinishes() {
        String run = http().createRun(experimentId, "before");
        JsonNode info = http().post("runs/update", Map.of("run_id", run, "run_name", "after", "status", "KILLED",
                "end_time", 5000)).ok().get("run_info");
        assertEquals("after", info.get("run_name").asText());
        assertEquals("KILLED", info.get("status").asText());
        assertEquals(5000, info.get("end_time").asLong());
        JsonNode fetched = http().run(run);
        assertEquals("after", fetched.get("info").get("run_name").asText());
        Map<String, String> tags = new HashMap<>();
        fetched.get("data").get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
        assertEquals("after", tags.get("mlflow.runName"));

        // status alone keeps the name; a deleted run cannot be updated
        http().post("runs/update", Map.of("run_id", run, "status", "FINISHED")).ok();
        assertEquals("after", http().run(run).get("info").get("run_name").asText());
        http().post("runs/delete", Map.of("run_id", run)).ok();
        http().post("runs/update", Map.of("run_id", run, "status", "RUNNING")).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void unicodeRoundTrips() {
        String run = http().createRun(experimentId, "unicode-ü");
        String value = "naïve – ✓ 🚀 日本語 \"quoted\" \\ back";
        http().post("runs/log-batch", Map.of("run_id", run, "params", List.of(kv("p", value), kv("q", "日本語 🚀")),
                "tags", List.of(kv("tä g", value)))).ok();
        JsonNode data = http().run(run).get("data");
        Map<String, String> params = new HashMap<>();
        data.get("params").forEach(p -> params.put(p.get("key").asText(), p.get("value").asText()));
        assertEquals(value, params.get("p"));
        Map<String, String> tags = new HashMap<>();
        data.get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
        assertEquals(value, tags.get("tä g"));
        assertEquals("unicode-ü", tags.get("mlflow.runName"));
        JsonNode found = http().post("runs/search", Map.of("experiment_ids", List.of(experimentId),
                "filter", "params.q = '日本語 🚀'")).ok();
        assertEquals(1, found.get("runs").size());
    }

    @Test
    void emptyBodyCreatesARunInTheDefaultExperiment() {
        JsonNode run = http().post("runs/create", "").ok().get("run");
        assertEquals("0", run.get("info").get("experiment_id").asText());
    }
}
