package dev.labbook.server;

import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * labbook/runs/metric-values: a metric's min, max or value at a step for every run of an
 * experiment, what the dashboard's runs table shows in a column other than the latest value.
 */
class RawHttpMetricValuesTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String PATH = "/api/2.0/labbook/runs/metric-values";
    private static String experimentId;
    private static String a;
    private static String b;

    @BeforeAll
    static void log() {
        RawHttp http = server.http();
        experimentId = http.createExperiment("metric-values");
        a = http.createRun(experimentId, "a");
        b = http.createRun(experimentId, "b");
        String c = http.createRun(experimentId, "c");
        http.post("runs/log-batch", Map.of("run_id", a, "metrics", List.of(metric("loss", 0.5, 1, 0), metric("loss", 0.2, 2, 1),
                metric("loss", 0.4, 3, 2), metric("loss", "NaN", 4, 3)))).ok();
        http.post("runs/log-batch", Map.of("run_id", b, "metrics", List.of(metric("loss", 0.9, 1, 0), metric("loss", 0.7, 2, 1),
                metric("loss", 0.8, 3, 1)))).ok();
        http.post("runs/log-batch", Map.of("run_id", c, "metrics", List.of(metric("accuracy", 0.9, 1, 0)))).ok();
        // another experiment's run of the same metric is not among the values
        String other = http.createRun(http.createExperiment("metric-values-other"), "other");
        http.post("runs/log-batch", Map.of("run_id", other, "metrics", List.of(metric("loss", -5, 1, 0)))).ok();
    }

    private static JsonNode values(String body) {
        return server.http().send("POST", PATH, body).ok().path("values");
    }

    @Test
    void minMaxAndValueAtAStepPerRun() {
        JsonNode min = values("{\"experiment_id\":\"" + experimentId + "\",\"metric_key\":\"loss\",\"aggregate\":\"min\"}");
        assertEquals(2, min.size(), min.toString());
        assertEquals(0.2, min.path(a).asDouble());
        assertEquals(0.7, min.path(b).asDouble());
        JsonNode max = values("{\"experiment_id\":\"" + experimentId + "\",\"metric_key\":\"loss\",\"aggregate\":\"MAX\"}");
        assertEquals(0.5, max.path(a).asDouble(), "NaN points are left out of min and max");
        assertEquals(0.9, max.path(b).asDouble());
        JsonNode atOne = values("{\"experiment_id\":\"" + experimentId + "\",\"metric_key\":\"loss\",\"aggregate\":\"step\",\"step\":1}");
        assertEquals(0.2, atOne.path(a).asDouble());
        assertEquals(0.8, atOne.path(b).asDouble(), "the last value logged at the step");
        JsonNode atThree = values("{\"experiment_id\":\"" + experimentId + "\",\"metric_key\":\"loss\",\"aggregate\":\"step\",\"step\":3}");
        assertEquals(1, atThree.size(), atThree.toString());
        assertEquals("NaN", atThree.path(a).asText());
        // the same as a GET with query parameters
        JsonNode get = server.http().send("GET", PATH + "?experiment_id=" + experimentId + "&metric_key=loss&aggregate=min", null).ok().path("values");
        assertEquals(min, get);
        JsonNode none = values("{\"experiment_id\":\"" + experimentId + "\",\"metric_key\":\"nothing\",\"aggregate\":\"min\"}");
        assertTrue(none.isObject() && none.isEmpty(), none.toString());
    }

    @Test
    void badRequestsAreMlflowErrors() {
        String e = experimentId;
        for (String body : List.of("{\"metric_key\":\"loss\",\"aggregate\":\"min\"}",
                "{\"experiment_id\":\"" + e + "\",\"aggregate\":\"min\"}",
                "{\"experiment_id\":\"" + e + "\",\"metric_key\":\"loss\"}",
                "{\"experiment_id\":\"" + e + "\",\"metric_key\":\"loss\",\"aggregate\":\"median\"}",
                "{\"experiment_id\":\"" + e + "\",\"metric_key\":\"loss\",\"aggregate\":\"step\"}",
                "{\"experiment_id\":\"x1\",\"metric_key\":\"loss\",\"aggregate\":\"min\"}")) {
            server.http().send("POST", PATH, body).error(400, "INVALID_PARAMETER_VALUE");
        }
    }
}
