package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * get-history-bulk-interval never answers more points per run than max_results (1 to 2500, as
 * MLflow's handler allows), also when several points share a step, and its errors are MLflow's:
 * INVALID_PARAMETER_VALUE with the messages of handlers.py.
 */
class RawHttpBulkIntervalLimitsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String runA;
    private static String runB;

    @BeforeAll
    static void log() {
        RawHttp http = server.http();
        String exp = http.createExperiment("bulk-limits");
        runA = http.createRun(exp, "a");
        runB = http.createRun(exp, "b");
        for (String run : List.of(runA, runB)) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                for (int k = 0; k < 3; k++) { // three points on every step
                    metrics.add(RawHttp.metric("loss", step * 10 + k, 1_700_000_000_000L + step, step));
                }
                if (metrics.size() >= 900) {
                    http.post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();
                    metrics = new ArrayList<>();
                }
            }
            if (!metrics.isEmpty()) {
                http.post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();
            }
        }
    }

    private static String query(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(kv[i]).append('=').append(java.net.URLEncoder.encode(kv[i + 1],
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static Map<String, Integer> perRun(String... query) {
        JsonNode body = server.http().get("metrics/get-history-bulk-interval", query).ok();
        Map<String, Integer> counts = new HashMap<>();
        body.path("metrics").forEach(m -> counts.merge(m.get("run_id").asText(), 1, Integer::sum));
        return counts;
    }

    @Test
    void neverMorePointsPerRunThanAsked() {
        for (int max : new int[] {1, 2, 3, 7, 100, 899, 900, 2500}) {
            Map<String, Integer> counts = perRun("run_ids", runA, "run_ids", runB, "metric_key", "loss",
                    "max_results", Integer.toString(max));
            for (String run : List.of(runA, runB)) {
                int n = counts.getOrDefault(run, 0);
                assertTrue(n >= 1 && n <= max, "max_results " + max + ": " + n + " points");
            }
        }
        assertEquals(900, perRun("run_ids", runA, "metric_key", "loss").get(runA), "the default (2500) takes all 900");
        int windowed = perRun("run_ids", runA, "metric_key", "loss", "max_results", "5", "start_step", "10", "end_step", "20")
                .get(runA);
        assertTrue(windowed >= 2 && windowed <= 5, windowed + " points");
    }

    @Test
    void errorsAreMlflows() {
        RawHttp http = server.http();
        assertEquals("Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters.",
                http.get("metrics/get-history-bulk-interval", "metric_key", "loss").error(400, "INVALID_PARAMETER_VALUE"));
        assertEquals("Missing value for required parameter 'metric_key'. See the API docs for more information about request parameters.",
                http.get("metrics/get-history-bulk-interval", "run_ids", runA).error(400, "INVALID_PARAMETER_VALUE"));
        for (String max : List.of("0", "2501", "-1")) {
            assertEquals("max_results must be between 1 and 2500. See the API docs for more information about request parameters.",
                    http.get("metrics/get-history-bulk-interval", "run_ids", runA, "metric_key", "loss", "max_results", max)
                            .error(400, "INVALID_PARAMETER_VALUE"));
        }
        assertEquals("end_step must be greater than start_step. Found start_step=10 and end_step=5.",
                http.get("metrics/get-history-bulk-interval", "run_ids", runA, "metric_key", "loss",
                        "start_step", "10", "end_step", "5").error(400, "INVALID_PARAMETER_VALUE"));
        String[] many = new String[2 * 101 + 2];
        for (int i = 0; i < 101; i++) {
            many[2 * i] = "run_ids";
            many[2 * i + 1] = runA;
        }
        many[202] = "metric_key";
        many[203] = "loss";
        assertEquals("GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. "
                + "See the API docs for more information about request parameters.",
                http.get("metrics/get-history-bulk-interval", many).error(400, "INVALID_PARAMETER_VALUE"));
        // MLflow's REST test sends 1000 ids (a 16 kB query string): still MLflow's error, not a refused URI
        String[] thousand = new String[2 * 1000 + 2];
        for (int i = 0; i < 1000; i++) {
            thousand[2 * i] = "run_ids";
            thousand[2 * i + 1] = "id_" + i;
        }
        thousand[2000] = "metric_key";
        thousand[2001] = "key";
        assertTrue(http.send("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?" + query(thousand), null)
                .error(400, "INVALID_PARAMETER_VALUE")
                .startsWith("GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 1000 run_ids."));
        // the other requests of that test
        assertTrue(http.get("metrics/get-history-bulk-interval", "run_ids", "123", "metric_key", "")
                .error(400, "INVALID_PARAMETER_VALUE").startsWith("Missing value for required parameter 'metric_key'"));
        assertTrue(http.get("metrics/get-history-bulk-interval", "run_ids", "123", "metric_key", "key", "max_results", "0")
                .error(400, "INVALID_PARAMETER_VALUE").startsWith("max_results must be between 1 and 2500"));
        assertTrue(http.get("metrics/get-history-bulk-interval", "run_ids", "123", "metric_key", "key", "start_step", "1",
                "end_step", "0", "max_results", "5").error(400, "INVALID_PARAMETER_VALUE").startsWith("end_step must be greater than start_step. "));
        assertTrue(http.get("metrics/get-history-bulk-interval", "run_ids", "123", "metric_key", "key", "start_step", "1",
                "max_results", "5").error(400, "INVALID_PARAMETER_VALUE")
                .startsWith("If either start step or end step are specified, both must be specified."));
    }
}
