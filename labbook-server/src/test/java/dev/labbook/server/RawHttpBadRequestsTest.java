package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad request gets MLflow's answer: the right status, a JSON body with error_code
 * and message, and nothing of the server's internals.
 */
class RawHttpBadRequestsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String MISSING_RUN = "0000000000000000000000000000dead";
    private static final String[] BAD_BODY = {"MALFORMED_REQUEST", "INVALID_PARAMETER_VALUE", "BAD_REQUEST"};
    private static final String INVALID = "INVALID_PARAMETER_VALUE";
    private static String experimentId;
    private static String runId;

    @BeforeAll
    static void createRun() {
        experimentId = server.http().createExperiment("bad-requests");
        runId = server.http().createRun(experimentId, "target");
        server.http().post("runs/log-metric", Map.of("run_id", runId, "key", "acc", "value", 0.5, "timestamp", 1, "step", 0)).ok();
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

    // ---- malformed bodies ----

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"experiment_id\": \"0\",",
        "not json at all",
        "{\"run_id\": \"x\", \"metrics\": [}",
        "{'single': 'quotes'}",
        "{\"a\": 1}}",
        "\u0000\u0001\u0002",
    })
    void malformedJson(String body) {
        http().post("runs/create", body).error(400, BAD_BODY);
        http().post("runs/log-batch", body).error(400, BAD_BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2, 3]", "[{\"name\": \"x\"}]", "\"a string\"", "42", "true"})
    void bodyThatIsNotAnObject(String body) {
        http().post("experiments/create", body).error(400, BAD_BODY);
        http().post("runs/log-metric", body).error(400, BAD_BODY);
    }

    @Test
    void trailingDataAfterTheObjectIsMalformed() {
        http().post("experiments/create", "{\"name\": \"trailing-1\"} {\"name\": \"trailing-2\"}").error(400, BAD_BODY);
        http().post("experiments/create", "{\"name\": \"trailing-3\"} garbage").error(400, BAD_BODY);
        http().get("experiments/get-by-name", "experiment_name", "trailing-1").error(404, "RESOURCE_DOES_NOT_EXIST");
        http().get("experiments/get-by-name", "experiment_name", "trailing-3").error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    // ---- fields of the wrong type ----

    @Test
    void fieldsOfTheWrongType() {
        List<Object[]> cases = List.of(
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "max_results", "abc")},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "max_results", 1.5)},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "max_results", List.of(1))},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "max_results", 99_999_999_999L)},
                new Object[] {"runs/search", map("experiment_ids", experimentId)},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "order_by", "metrics.acc")},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "filter", map("a", 1))},
                new Object[] {"runs/search", map("experiment_ids", List.of(experimentId), "run_view_type", "SOMETIMES")},
                new Object[] {"runs/log-batch", map("run_id", runId, "metrics", map())},
                new Object[] {"runs/log-batch", map("run_id", runId, "metrics", List.of(1, 2))},
                new Object[] {"runs/log-batch", map("run_id", runId, "params", "p=1")},
                new Object[] {"runs/log-batch", map("run_id", runId, "tags", map("k", "v"))},
                new Object[] {"runs/log-batch", map("run_id", runId, "metrics",
                        List.of(map("key", "m", "value", 1, "timestamp", "noon", "step", 0)))},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", "notanumber", "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", true, "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", map(), "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", List.of(1.0), "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", 1, "timestamp", 1, "step", "abc")},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "value", 1, "timestamp", 1.5, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", List.of(runId), "key", "m", "value", 1)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", map("k", "m"), "value", 1)},
                new Object[] {"runs/log-parameter", map("run_id", runId, "key", "p", "value", List.of("v"))},
                new Object[] {"runs/set-tag", map("run_id", runId, "key", "t", "value", map("v", 1))},
                new Object[] {"runs/create", map("experiment_id", experimentId, "tags", "t=v")},
                new Object[] {"runs/create", map("experiment_id", experimentId, "tags", List.of(1))},
                new Object[] {"runs/create", map("experiment_id", experimentId, "start_time", "yesterday")},
                new Object[] {"runs/update", map("run_id", runId, "status", "DONE")},
                new Object[] {"runs/update", map("run_id", runId, "end_time", "later")},
                new Object[] {"experiments/create", map("name", map("a", 1))},
                new Object[] {"experiments/create", map("name", List.of("x"))},
                new Object[] {"experiments/create", map("name", "typed-tags", "tags", map("k", "v"))},
                new Object[] {"experiments/search", map("max_results", "many")},
                new Object[] {"experiments/search", map("view_type", "SOME")});
        for (Object[] c : cases) {
            http().post((String) c[0], c[1]).error(400, INVALID, "BAD_REQUEST", "MALFORMED_REQUEST");
        }
        // nothing of the above reached the run
        assertEquals(List.of("acc"), RawHttp.keys(http().run(runId).get("data").get("metrics")));
        assertEquals(List.of(), RawHttp.keys(http().run(runId).get("data").path("params")));
        assertEquals("RUNNING", http().run(runId).get("info").get("status").asText());
        http().get("experiments/get-by-name", "experiment_name", "typed-tags").error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void queryParametersOfTheWrongType() {
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "max_results", "abc").error(400, INVALID);
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "max_results", "0").error(400, INVALID);
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "max_results", "-1").error(400, INVALID);
        http().get("experiments/search", "max_results", "abc").error(400, INVALID);
        http().get("experiments/search", "view_type", "BOGUS").error(400, INVALID);
    }

    // ---- missing required fields ----

    @Test
    void missingRequiredFields() {
        List<Object[]> cases = List.of(
                new Object[] {"runs/log-metric", map("key", "m", "value", 1, "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "value", 1, "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "m", "timestamp", 1, "step", 0)},
                new Object[] {"runs/log-metric", map("run_id", runId, "key", "", "value", 1)},
                new Object[] {"runs/log-parameter", map("run_id", runId, "value", "v")},
                new Object[] {"runs/log-parameter", map("run_id", runId, "key", "p")},
                new Object[] {"runs/log-parameter", map("key", "p", "value", "v")},
                new Object[] {"runs/set-tag", map("run_id", runId, "value", "v")},
                new Object[] {"runs/set-tag", map("key", "t", "value", "v")},
                new Object[] {"runs/delete-tag", map("run_id", runId)},
                new Object[] {"runs/log-batch", map("metrics", List.of(RawHttp.metric("m", 1, 1, 0)))},
                new Object[] {"runs/log-inputs", map("datasets", List.of())},
                new Object[] {"runs/update", map("status", "FINISHED")},
                new Object[] {"runs/delete", map()},
                new Object[] {"runs/restore", map()},
                new Object[] {"experiments/create", map()},
                new Object[] {"experiments/create", map("name", "")},
                new Object[] {"experiments/create", map("artifact_location", "/tmp/x")},
                new Object[] {"experiments/update", map("new_name", "x")},
                new Object[] {"experiments/delete", map()},
                new Object[] {"experiments/restore", map()},
                new Object[] {"experiments/set-experiment-tag", map("key", "k", "value", "v")},
                new Object[] {"experiments/set-experiment-tag", map("experiment_id", experimentId, "value", "v")});
        for (Object[] c : cases) {
            http().post((String) c[0], c[1]).error(400, INVALID);
        }
        http().post("experiments/create", "").error(400, INVALID);
        http().get("runs/get").error(400, INVALID);
        http().get("experiments/get").error(400, INVALID);
        http().get("experiments/get-by-name").error(400, INVALID);
        http().get("metrics/get-history", "run_id", runId).error(400, INVALID);
        http().get("metrics/get-history", "metric_key", "acc").error(400, INVALID);
        assertEquals(List.of("acc"), RawHttp.keys(http().run(runId).get("data").get("metrics")));
    }

    // ---- unknown endpoints and wrong methods ----

    @Test
    void unknownEndpoints() {
        http().get("does-not-exist").error(404, "ENDPOINT_NOT_FOUND");
        http().post("runs/explode", map("run_id", runId)).error(404, "ENDPOINT_NOT_FOUND");
        http().send("GET", "/api/2.0/nothing", null).error(404, "ENDPOINT_NOT_FOUND");
        http().send("GET", "/ajax-api/2.0/mlflow/nope", null).error(404, "ENDPOINT_NOT_FOUND");
        http().send("POST", "/api/2.0/mlflow/runs/get/extra", "{}").error(404, "ENDPOINT_NOT_FOUND");
        http().send("GET", "/api/3.0/mlflow/runs/get?run_id=" + runId, null).error(404, "ENDPOINT_NOT_FOUND");
    }

    @Test
    void wrongMethods() {
        int[] notFoundOrNotAllowed = {404, 405};
        http().send("GET", "/api/2.0/mlflow/runs/create", null).error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
        http().send("GET", "/api/2.0/mlflow/runs/log-batch?run_id=" + runId, null).error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
        http().send("POST", "/api/2.0/mlflow/runs/get", "{\"run_id\": \"" + runId + "\"}").error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
        http().send("DELETE", "/api/2.0/mlflow/experiments/create", null).error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
        http().send("PUT", "/api/2.0/mlflow/runs/log-batch", "{}").error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
        http().send("PATCH", "/api/2.0/mlflow/runs/update", "{}").error(notFoundOrNotAllowed, "ENDPOINT_NOT_FOUND");
    }

    // ---- things that do not exist ----

    @Test
    void nonexistentRunsAndExperiments() {
        String notFound = "RESOURCE_DOES_NOT_EXIST";
        http().get("runs/get", "run_id", MISSING_RUN).error(404, notFound);
        http().get("runs/get", "run_uuid", MISSING_RUN).error(404, notFound);
        http().get("metrics/get-history", "run_id", MISSING_RUN, "metric_key", "acc").error(404, notFound);
        http().post("runs/log-metric", map("run_id", MISSING_RUN, "key", "m", "value", 1, "timestamp", 1, "step", 0)).error(404, notFound);
        http().post("runs/log-batch", map("run_id", MISSING_RUN, "metrics", List.of(RawHttp.metric("m", 1, 1, 0)))).error(404, notFound);
        http().post("runs/log-parameter", map("run_id", MISSING_RUN, "key", "p", "value", "v")).error(404, notFound);
        http().post("runs/set-tag", map("run_id", MISSING_RUN, "key", "t", "value", "v")).error(404, notFound);
        http().post("runs/delete-tag", map("run_id", MISSING_RUN, "key", "t")).error(404, notFound);
        http().post("runs/delete-tag", map("run_id", runId, "key", "never-set")).error(404, notFound);
        http().post("runs/update", map("run_id", MISSING_RUN, "status", "FINISHED")).error(404, notFound);
        http().post("runs/delete", map("run_id", MISSING_RUN)).error(404, notFound);
        http().post("runs/restore", map("run_id", MISSING_RUN)).error(404, notFound);
        http().post("runs/create", map("experiment_id", "987654321")).error(404, notFound);

        http().get("experiments/get", "experiment_id", "987654321").error(404, notFound);
        http().get("experiments/get", "experiment_id", "abc").error(new int[] {400, 404}, notFound, INVALID);
        http().get("experiments/get", "experiment_id", "99999999999999999999999999").error(new int[] {400, 404}, notFound, INVALID);
        http().get("experiments/get-by-name", "experiment_name", "no-such-experiment").error(404, notFound);
        http().post("experiments/update", map("experiment_id", "987654321", "new_name", "x")).error(404, notFound);
        http().post("experiments/delete", map("experiment_id", "987654321")).error(404, notFound);
        http().post("experiments/restore", map("experiment_id", "987654321")).error(404, notFound);
        http().post("experiments/set-experiment-tag", map("experiment_id", "987654321", "key", "k", "value", "v")).error(404, notFound);
    }

    // ---- invalid search filters, orders and page tokens ----

    @ParameterizedTest
    @ValueSource(strings = {
        "metrics.acc >",
        "metrics.acc > 'abc'",
        "metrics.acc = 'abc'",
        "metrics.acc LIKE '0.5'",
        "metrics.acc ILIKE '%'",
        "metrics.acc IN (1, 2)",
        "params.model > 'a'",
        "params.model <= 'a'",
        "params.model = cnn",
        "params.model = 1",
        "params.model = 'unterminated",
        "tags.team < 'x'",
        "attributes.status > 'A'",
        "attributes.status = 1",
        "attributes.start_time = 'abc'",
        "attributes.start_time LIKE '1%'",
        "attributes.nonexistent = 'x'",
        "attributes.run_id IN 'x'",
        "attributes.run_id IN ()",
        "datasets.foo = 'x'",
        "datasets.name > 'x'",
        "foo.bar = 1",
        "metrics. > 1",
        "metrics.acc > 1 AND",
        "AND metrics.acc > 1",
        "metrics.acc > 1 OR metrics.acc < 0",
        "metrics.acc > 1 metrics.acc < 2",
        "metrics.acc >> 1",
        "metrics.acc",
        "= 1",
        "'a' = params.model",
        "metrics.`acc > 1",
    })
    void invalidRunFilters(String filter) {
        String message = http().post("runs/search", map("experiment_ids", List.of(experimentId), "filter", filter))
                .error(400, INVALID);
        assertTrue(message.length() > 10, "a helpful message for '" + filter + "': " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "metrics.acc > 1",
        "params.a = 'b'",
        "name > 'x'",
        "name = 1",
        "tags.x",
        "foo = 'x'",
        "attributes.nonexistent = 'x'",
        "creation_time = 'yesterday'",
        "name = 'x' OR name = 'y'",
    })
    void invalidExperimentFilters(String filter) {
        http().post("experiments/search", map("filter", filter)).error(400, INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "metrics.acc SIDEWAYS",
        "metrics.acc ASC DESC",
        "foo.bar ASC",
        "attributes.nonexistent",
        "metrics.",
        "metrics.acc ASC, params.a DESC",
    })
    void invalidRunOrderBy(String orderBy) {
        http().post("runs/search", map("experiment_ids", List.of(experimentId), "order_by", List.of(orderBy)))
                .error(400, INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.acc", "params.a ASC", "nonexistent DESC", "name UPWARDS"})
    void invalidExperimentOrderBy(String orderBy) {
        http().post("experiments/search", map("order_by", List.of(orderBy))).error(400, INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-token", "!!!", "b2Zmc2V0Oi0z" /* offset:-3 */, "b2Zmc2V0OmFiYw" /* offset:abc */,
        "eyJvZmZzZXQiOiAxfQ" /* {"offset": 1} */, "%%%", "YWZ0ZXI6MTox"})
    void invalidPageTokens(String token) {
        http().post("runs/search", map("experiment_ids", List.of(experimentId), "page_token", token)).error(400, INVALID);
        http().post("experiments/search", map("page_token", token)).error(400, INVALID);
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "page_token", token).error(400, INVALID);
    }

    @Test
    void aPageTokenOfOneEndpointIsNoTokenOfTheOther() {
        String exp = http().createExperiment("tokens");
        for (int i = 0; i < 3; i++) {
            http().createRun(exp, "t" + i);
        }
        String runsToken = http().post("runs/search", map("experiment_ids", List.of(exp), "max_results", 1)).ok()
                .get("next_page_token").asText();
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "page_token", runsToken).error(400, INVALID);
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString("after:x:y:z:w".getBytes(StandardCharsets.UTF_8));
        http().get("metrics/get-history", "run_id", runId, "metric_key", "acc", "page_token", b64).error(400, INVALID);
    }

    @Test
    void maxResultsOutOfRange() {
        for (Object max : List.of(0, -1, 1_000_000, Integer.MAX_VALUE)) {
            http().post("runs/search", map("experiment_ids", List.of(experimentId), "max_results", max)).error(400, INVALID);
            http().post("experiments/search", map("max_results", max)).error(400, INVALID);
        }
    }

    // ---- transport-level trouble still answers in MLflow's format ----

    @Test
    void bodyLargerThanTheServerAccepts() {
        String huge = "{\"run_id\": \"" + runId + "\", \"tags\": [{\"key\": \"k\", \"value\": \"" + "x".repeat(17 << 20) + "\"}]}";
        http().post("runs/log-batch", huge).error(new int[] {400, 413}, INVALID, "REQUEST_LIMIT_EXCEEDED", "BAD_REQUEST");
        assertEquals(List.of("mlflow.runName"), RawHttp.keys(http().run(runId).get("data").get("tags")));
    }

    @Test
    void veryLongUrl() {
        RawHttp.Response r = http().get("runs/get", "run_id", "x".repeat(64 * 1024));
        assertTrue(r.status() >= 400 && r.status() < 500, "status " + r.status());
        r.error(new int[] {400, 404, 414, 431}, INVALID, "RESOURCE_DOES_NOT_EXIST", "BAD_REQUEST", "REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void healthAndVersionStillAnswer() {
        RawHttp.Response health = http().send("GET", "/health", null);
        assertEquals(200, health.status());
        assertEquals("OK", health.body());
        assertEquals(200, http().send("GET", "/version", null).status());
    }
}
