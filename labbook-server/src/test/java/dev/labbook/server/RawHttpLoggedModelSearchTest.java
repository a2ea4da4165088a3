package dev.labbook.server;

import static dev.labbook.server.RawHttp.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * logged-models/search as MLflow 3 clients call it ({@code experiment_ids}, {@code filter},
 * {@code datasets}, structured {@code order_by}, {@code max_results}, {@code page_token}), over
 * four models whose metrics were logged with log-batch (model_id and dataset fields on each).
 */
class RawHttpLoggedModelSearchTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;
    private static String runId;
    /** alpha, beta, gamma, delta: the model ids by name. */
    private static final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void models() {
        RawHttp http = server.http();
        experimentId = http.createExperiment("search-models");
        String other = http.createExperiment("other-models");
        runId = http.createRun(experimentId, "trainer");
        create("alpha", "classifier", List.of(kv("lr", "0.1")), List.of(kv("owner", "ann")));
        create("beta", "regressor", List.of(kv("lr", "0.01")), List.of(kv("owner", "bob")));
        create("gamma", "classifier", List.of(kv("lr", "0.1")), List.of());
        create("delta", null, List.of(), List.of());
        http.post("logged-models", Map.of("experiment_id", other, "name", "alpha")).ok();
        for (String name : List.of("alpha", "beta")) {
            http.send("PATCH", RawHttp.PREFIX + "logged-models/" + ids.get(name),
                    RawHttp.write(Map.of("model_id", ids.get(name), "status", "LOGGED_MODEL_READY"))).ok();
        }
        http.post("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(
                metric("acc", 0.9, 1000, "alpha", "train", "d1"),
                metric("acc", 0.7, 2000, "alpha", "test", "d2"),
                metric("acc", 0.8, 1500, "beta", "test", "d2"),
                metric("acc", 0.95, 1000, "gamma", null, null)))).ok();
    }

    private static void create(String name, String type, List<Object> params, List<Object> tags) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("experiment_id", experimentId);
        b.put("name", name);
        if (type != null) {
            b.put("model_type", type);
        }
        b.put("source_run_id", runId);
        b.put("params", params);
        b.put("tags", tags);
        ids.put(name, server.http().post("logged-models", b).ok().get("model").get("info").get("model_id").asText());
    }

    private static Map<String, Object> metric(String key, double value, long ts, String model, String dataset, String digest) {
        Map<String, Object> m = RawHttp.metric(key, value, ts, 0);
        m.put("model_id", ids.get(model));
        m.put("run_id", runId);
        if (dataset != null) {
            m.put("dataset_name", dataset);
            m.put("dataset_digest", digest);
        }
        return m;
    }

    private static Map<String, Object> request(String filter) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("experiment_ids", List.of(experimentId));
        if (filter != null) {
            b.put("filter", filter);
        }
        return b;
    }

    private static JsonNode search(Map<String, Object> body) {
        return server.http().post("logged-models/search", body).ok();
    }

    /** The names of the models found, in order. */
    private static List<String> names(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("models").forEach(m -> out.add(m.get("info").get("name").asText()));
        return out;
    }

    private static List<String> sorted(Map<String, Object> body) {
        return names(search(body)).stream().sorted().toList();
    }

    @Test
    void attributeFilters() {
        assertEquals(List.of("alpha"), sorted(request("name = 'alpha'")));
        assertEquals(List.of("alpha", "gamma"), sorted(request("attributes.model_type = 'classifier'")));
        assertEquals(List.of("gamma"), sorted(request("name LIKE 'g%'")));
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), sorted(request("name ILIKE '%A'")));
        assertEquals(List.of("alpha", "beta"), sorted(request("status = 'LOGGED_MODEL_READY'")));
        assertEquals(List.of("delta", "gamma"), sorted(request("status != 'LOGGED_MODEL_READY'")));
        assertEquals(List.of("beta"), sorted(request("model_id = '" + ids.get("beta") + "'")));
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), sorted(request("source_run_id = '" + runId + "'")));
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), sorted(request("creation_time > 0")));
        assertEquals(List.of(), sorted(request("last_updated_timestamp < 0")));
        assertEquals(List.of("alpha"), sorted(request("`name` = \"alpha\" AND model_type = 'classifier'")));
    }

    @Test
    void metricParamAndTagFilters() {
        assertEquals(List.of("alpha", "gamma"), sorted(request("metrics.acc > 0.85")));
        assertEquals(List.of("alpha", "beta", "gamma"), sorted(request("metrics.acc >= 0.7")));
        assertEquals(List.of("alpha", "gamma"), sorted(request("params.lr = '0.1'")));
        assertEquals(List.of("beta"), sorted(request("tags.owner != 'ann'")));
        assertEquals(List.of("alpha", "beta"), sorted(request("tags.`owner` LIKE '%'")));
        assertEquals(List.of("gamma"), sorted(request("params.lr = '0.1' AND metrics.acc > 0.92")));
        assertEquals(List.of(), sorted(request("metrics.loss < 1")));
    }

    @Test
    void datasetsRestrictMetricClausesOrTheModels() {
        Map<String, Object> onTest = request("metrics.acc > 0.75");
        onTest.put("datasets", List.of(Map.of("dataset_name", "test")));
        assertEquals(List.of("beta"), sorted(onTest));
        Map<String, Object> onTrain = request(null);
        onTrain.put("datasets", List.of(Map.of("dataset_name", "train", "dataset_digest", "d1")));
        assertEquals(List.of("alpha"), sorted(onTrain));
        Map<String, Object> wrongDigest = request(null);
        wrongDigest.put("datasets", List.of(Map.of("dataset_name", "train", "dataset_digest", "other")));
        assertEquals(List.of(), sorted(wrongDigest));
        Map<String, Object> either = request("metrics.acc < 0.85");
        either.put("datasets", List.of(Map.of("dataset_name", "train"), Map.of("dataset_name", "test")));
        assertEquals(List.of("alpha", "beta"), sorted(either));
        Map<String, Object> unnamed = request(null);
        unnamed.put("datasets", List.of(Map.of("dataset_digest", "d1")));
        server.http().post("logged-models/search", unnamed).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void orderByAttributesAndMetrics() {
        Map<String, Object> byName = request(null);
        byName.put("order_by", List.of(Map.of("field_name", "name", "ascending", true)));
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), names(search(byName)));
        byName.put("order_by", List.of(Map.of("field_name", "name", "ascending", false)));
        assertEquals(List.of("gamma", "delta", "beta", "alpha"), names(search(byName)));

        // by each model's latest value (alpha's latest is 0.7 on test), models without it last
        Map<String, Object> byAcc = request(null);
        byAcc.put("order_by", List.of(Map.of("field_name", "metrics.acc", "ascending", false)));
        assertEquals(List.of("gamma", "beta", "alpha", "delta"), names(search(byAcc)));
        byAcc.put("order_by", List.of(Map.of("field_name", "metrics.acc")));
        assertEquals(List.of("alpha", "beta", "gamma", "delta"), names(search(byAcc)));
        byAcc.put("order_by", List.of(Map.of("field_name", "metrics.acc", "ascending", false, "dataset_name", "train")));
        assertEquals("alpha", names(search(byAcc)).get(0));

        // the default: newest first, then model id
        JsonNode all = search(request(null));
        List<long[]> keys = new ArrayList<>();
        List<String> idsInOrder = new ArrayList<>();
        all.get("models").forEach(m -> {
            keys.add(new long[] {m.get("info").get("creation_timestamp_ms").asLong()});
            idsInOrder.add(m.get("info").get("model_id").asText());
        });
        assertEquals(4, keys.size());
        for (int i = 1; i < keys.size(); i++) {
            long prev = keys.get(i - 1)[0];
            long cur = keys.get(i)[0];
            assertTrue(prev > cur || (prev == cur && idsInOrder.get(i - 1).compareTo(idsInOrder.get(i)) < 0),
                    "not newest first: " + all);
        }
    }

    @Test
    void pagesFollowTheirTokens() {
        Map<String, Object> body = request("source_run_id = '" + runId + "'");
        body.put("order_by", List.of(Map.of("field_name", "name")));
        body.put("max_results", 3);
        JsonNode first = search(body);
        assertEquals(List.of("alpha", "beta", "delta"), names(first));
        String token = first.get("next_page_token").asText();
        body.put("page_token", token);
        JsonNode second = search(body);
        assertEquals(List.of("gamma"), names(second));
        assertFalse(second.has("next_page_token"), second.toString());

        body.put("max_results", 1);
        body.remove("page_token");
        List<String> walked = new ArrayList<>();
        for (int page = 0; page < 10; page++) {
            JsonNode answer = search(body);
            walked.addAll(names(answer));
            if (!answer.has("next_page_token")) {
                break;
            }
            body.put("page_token", answer.get("next_page_token").asText());
        }
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), walked);

        Map<String, Object> other = request("name = 'alpha'");
        other.put("page_token", token);
        server.http().post("logged-models/search", other).error(400, "INVALID_PARAMETER_VALUE");
        Map<String, Object> garbage = request(null);
        garbage.put("page_token", "not-a-token");
        server.http().post("logged-models/search", garbage).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void otherExperimentsAndNoExperiments() {
        assertEquals(List.of("alpha", "alpha", "beta", "delta", "gamma"), names(search(
                Map.of("experiment_ids", List.of(experimentId, "0", String.valueOf(Long.parseLong(experimentId) + 1)),
                        "order_by", List.of(Map.of("field_name", "name"))))));
        assertEquals(List.of(), names(search(Map.of("experiment_ids", List.of()))));
        server.http().post("logged-models/search", Map.of("filter", "name = 'alpha'")).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void badRequestsAreInvalidParameterValues() {
        List<String> bad = List.of(
                "metrics.acc > 'high'",
                "metrics.acc LIKE '%'",
                "foo = 'x'",
                "datasets.name = 'x'",
                "name = 'a' OR name = 'b'",
                "params.lr > 0.1",
                "creation_timestamp = 'yesterday'",
                "name = alpha",
                "name =");
        for (String filter : bad) {
            server.http().post("logged-models/search", request(filter)).error(400, "INVALID_PARAMETER_VALUE");
        }
        for (Map<String, Object> order : List.of(Map.<String, Object>of("field_name", "params.lr"),
                Map.<String, Object>of("field_name", "nope"), Map.<String, Object>of("ascending", true),
                Map.<String, Object>of("field_name", "metrics.acc", "dataset_digest", "d1"),
                Map.<String, Object>of("field_name", "name", "ascending", "sideways"))) {
            Map<String, Object> b = request(null);
            b.put("order_by", List.of(order));
            server.http().post("logged-models/search", b).error(400, "INVALID_PARAMETER_VALUE");
        }
        Map<String, Object> zero = request(null);
        zero.put("max_results", 0);
        server.http().post("logged-models/search", zero).error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("logged-models/search", Map.of("experiment_ids", "1")).error(400, "INVALID_PARAMETER_VALUE");
    }
}
