package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MLflow 3's metric fields ({@code dataset_name}, {@code dataset_digest}, {@code model_id},
 * {@code run_id}) on runs/log-metric and runs/log-batch, as an MLflow 3 client sends them, back
 * in get-run's latest metrics, in get-history and in the logged model's {@code data.metrics};
 * and plain 2.x metrics, which must come back exactly as before.
 */
class RawHttpMetricModelFieldsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String model(String experimentId, String runId, String name) {
        return server.http().post("logged-models", Map.of("experiment_id", experimentId, "name", name,
                "source_run_id", runId)).ok().get("model").get("info").get("model_id").asText();
    }

    private static JsonNode latest(String runId, String key) {
        for (JsonNode m : server.http().run(runId).get("data").get("metrics")) {
            if (m.get("key").asText().equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no latest " + key + " on run " + runId);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void logMetricKeepsTheFields() {
        String exp = server.http().createExperiment("log-metric-fields");
        String run = server.http().createRun(exp, "eval");
        String model = model(exp, run, "m");
        // MlflowClient.log_metric(run_id, "f1", 0.83, step=2, model_id=..., dataset=...) in 3.x
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", run);
        body.put("run_uuid", run);
        body.put("key", "f1");
        body.put("value", 0.83);
        body.put("timestamp", "1700000000000");
        body.put("step", "2");
        body.put("model_id", model);
        body.put("dataset_name", "imdb-test");
        body.put("dataset_digest", "abc123");
        server.http().post("runs/log-metric", body).ok();

        JsonNode l = latest(run, "f1");
        assertEquals(0.83, l.get("value").asDouble());
        assertEquals(model, l.get("model_id").asText());
        assertEquals("imdb-test", l.get("dataset_name").asText());
        assertEquals("abc123", l.get("dataset_digest").asText());
        assertEquals(run, l.get("run_id").asText());
        JsonNode h = server.http().history(run, "f1").get(0);
        assertEquals(l, h);
        JsonNode m = server.http().get("logged-models/" + model).ok().get("model").get("data").get("metrics");
        assertEquals(1, m.size());
        assertEquals(l, m.get(0));
    }

    @Test
    void logBatchKeepsTheFieldsPerPointAndPlainPointsStayPlain() {
        String exp = server.http().createExperiment("log-batch-fields");
        String run = server.http().createRun(exp, "eval");
        String a = model(exp, run, "a");
        String b = model(exp, run, "b");
        List<Object> metrics = new ArrayList<>();
        metrics.add(RawHttp.metric("loss", 0.5, 1000, 0));
        metrics.add(RawHttp.metric("loss", 0.4, 1001, 1));
        // two models evaluated at the same step and time: two points, each with its own model
        metrics.add(withFields(RawHttp.metric("acc", 0.81, 2000, 3), a, "test", "d1", run));
        metrics.add(withFields(RawHttp.metric("acc", 0.77, 2000, 3), b, "test", "d1", run));
        metrics.add(withFields(RawHttp.metric("acc", 0.9, 1500, 1), a, "train", "d0", null));
        metrics.add(withFields(RawHttp.metric("acc", "NaN", 1400, 0), null, "train", "d0", null));
        server.http().post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();

        JsonNode loss = latest(run, "loss");
        assertEquals(List.of("key", "value", "timestamp", "step"), fieldNames(loss));
        server.http().history(run, "loss").forEach(p -> assertEquals(List.of("key", "value", "timestamp", "step"), fieldNames(p)));

        JsonNode acc = latest(run, "acc"); // step 3, timestamp 2000, the larger value: model a's
        assertEquals(0.81, acc.get("value").asDouble());
        assertEquals(a, acc.get("model_id").asText());
        assertEquals("test", acc.get("dataset_name").asText());
        assertEquals(run, acc.get("run_id").asText());

        List<JsonNode> history = server.http().history(run, "acc");
        assertEquals(4, history.size());
        Map<String, String> modelByValue = new LinkedHashMap<>();
        for (JsonNode p : history) {
            modelByValue.put(p.get("value").asText(), p.path("model_id").asText("-") + "/" + p.path("dataset_name").asText("-")
                    + "/" + p.path("dataset_digest").asText("-") + "/" + p.path("run_id").asText("-"));
        }
        assertEquals(Map.of("NaN", "-/train/d0/-", "0.9", a + "/train/d0/-", "0.77", b + "/test/d1/" + run,
                "0.81", a + "/test/d1/" + run), modelByValue);

        JsonNode aMetrics = server.http().get("logged-models/" + a).ok().get("model").get("data").get("metrics");
        assertEquals(2, aMetrics.size(), aMetrics.toString());
        for (JsonNode p : aMetrics) {
            assertEquals(a, p.get("model_id").asText());
            assertEquals(run, p.get("run_id").asText()); // the run it was logged to
        }
        JsonNode bMetrics = server.http().get("logged-models/" + b).ok().get("model").get("data").get("metrics");
        assertEquals(1, bMetrics.size());
        assertEquals(0.77, bMetrics.get(0).get("value").asDouble());
        assertEquals("d1", bMetrics.get(0).get("dataset_digest").asText());
        assertEquals(3, bMetrics.get(0).get("step").asLong());
        assertEquals(2000, bMetrics.get(0).get("timestamp").asLong());

        // search-runs returns the same latest metrics as get-run
        JsonNode searched = server.http().post("runs/search", Map.of("experiment_ids", List.of(exp))).ok().get("runs").get(0);
        assertEquals(server.http().run(run).get("data"), searched.get("data"));
    }

    @Test
    void aModelIdOfNoLoggedModelIsKeptWithoutRefusingTheMetric() {
        String exp = server.http().createExperiment("unknown-model");
        String run = server.http().createRun(exp, "eval");
        server.http().post("runs/log-batch", Map.of("run_id", run, "metrics",
                List.of(withFields(RawHttp.metric("acc", 0.5, 10, 0), "m-ffffffffffffffffffffffffffffffff", null, null, null)))).ok();
        assertEquals("m-ffffffffffffffffffffffffffffffff", latest(run, "acc").get("model_id").asText());
        assertFalse(latest(run, "acc").has("dataset_name"));
        server.http().post("runs/log-batch", Map.of("run_id", run, "metrics",
                List.of(withFields(RawHttp.metric("acc", 0.5, 10, 0), Map.of("x", 1), null, null, null))))
                .error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void historyPagesKeepTheFields() {
        String exp = server.http().createExperiment("paged-fields");
        String run = server.http().createRun(exp, "eval");
        String model = model(exp, run, "paged");
        List<Object> metrics = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            metrics.add(i % 2 == 0 ? withFields(RawHttp.metric("val", i, 100 + i, i), model, "val", "v" + i, null)
                    : RawHttp.metric("val", i, 100 + i, i));
        }
        server.http().post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();
        List<JsonNode> points = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = token == null
                    ? server.http().get("metrics/get-history", "run_id", run, "metric_key", "val", "max_results", "7").ok()
                    : server.http().get("metrics/get-history", "run_id", run, "metric_key", "val", "max_results", "7",
                            "page_token", token).ok();
            page.get("metrics").forEach(points::add);
            token = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
        } while (token != null);
        assertEquals(30, points.size());
        for (JsonNode p : points) {
            long step = p.get("step").asLong();
            assertEquals(step % 2 == 0, p.has("model_id"), p.toString());
            if (step % 2 == 0) {
                assertEquals("v" + step, p.get("dataset_digest").asText());
            }
        }
        assertEquals(15, server.http().get("logged-models/" + model).ok().get("model").get("data").get("metrics").size());
        assertTrue(server.http().post("logged-models/search", Map.of("experiment_ids", List.of(exp),
                "filter", "metrics.val >= 28")).ok().get("models").size() == 1);
    }

    private static Map<String, Object> withFields(Map<String, Object> m, Object modelId, String dataset, String digest, String runId) {
        if (modelId != null) {
            m.put("model_id", modelId);
        }
        if (dataset != null) {
            m.put("dataset_name", dataset);
        }
        if (digest != null) {
            m.put("dataset_digest", digest);
        }
        if (runId != null) {
            m.put("run_id", runId);
        }
        return m;
    }
}
