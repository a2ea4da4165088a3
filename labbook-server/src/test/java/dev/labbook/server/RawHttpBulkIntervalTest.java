package dev.labbook.server;

import static dev.labbook.server.RawHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.validation.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * metrics/get-history-bulk-interval (not in the Java client): what charts ask for. A 100,000-point
 * series with one spike up and one dip down must keep both, its first and last points, and never
 * answer more than max_results points per run.
 */
class RawHttpBulkIntervalTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final long T0 = 1_700_000_000_000L;
    private static final int BIG = 100_000;
    private static final int SPIKE = 61_237;
    private static final int DIP = 25_111;
    private static final int SMALL = 5_000;
    private static String experimentId;
    private static String big;
    private static String small;

    @BeforeAll
    static void logSeries() {
        RawHttp http = server.http();
        experimentId = http.createExperiment("bulk-interval");
        big = http.createRun(experimentId, "big");
        small = http.createRun(experimentId, "small");
        logSeries(big, BIG, RawHttpBulkIntervalTest::bigValue);
        logSeries(small, SMALL, s -> smallValue(s));
    }

    private static void logSeries(String runId, int n, java.util.function.IntToDoubleFunction value) {
        for (int from = 0; from < n; from += 1000) {
            List<Map<String, Object>> metrics = new ArrayList<>(1000);
            for (int s = from; s < Math.min(n, from + 1000); s++) {
                metrics.add(metric("loss", value.applyAsDouble(s), T0 + s, s));
            }
            server.http().post("runs/log-batch", Map.of("run_id", runId, "metrics", metrics)).ok();
        }
    }

    static double bigValue(int step) {
        if (step == SPIKE) {
            return 1000.0;
        }
        if (step == DIP) {
            return -1000.0;
        }
        return 0.5 + 0.1 * Math.sin(step / 1000.0);
    }

    static double smallValue(int step) {
        return step * 0.25;
    }

    private static List<JsonNode> bulk(String... keyValues) {
        JsonNode body = server.http().get("metrics/get-history-bulk-interval", keyValues).ok();
        List<JsonNode> out = new ArrayList<>();
        body.path("metrics").forEach(out::add);
        return out;
    }

    /** The points of one run, checked to be real points of the series in step order. */
    private static List<Long> stepsOf(List<JsonNode> points, String runId, java.util.function.IntToDoubleFunction value) {
        List<Long> steps = new ArrayList<>();
        for (JsonNode p : points) {
            if (!p.get("run_id").asText().equals(runId)) {
                continue;
            }
            assertEquals("loss", p.get("key").asText());
            long step = p.get("step").asLong();
            assertEquals(T0 + step, p.get("timestamp").asLong(), "timestamp of step " + step);
            assertEquals(value.applyAsDouble((int) step), RawHttp.number(p.get("value")), "value of step " + step);
            if (!steps.isEmpty()) {
                assertTrue(step > steps.get(steps.size() - 1), "steps not increasing: " + steps.get(steps.size() - 1) + ", " + step);
            }
            steps.add(step);
        }
        return steps;
    }

    @Test
    void keepsTheSpikeTheDipAndTheEnds() {
        // MLflow's default max_results is 2500 (MAX_RESULTS_PER_RUN); its web UI asks for 320
        for (String[] query : List.of(
                new String[] {"run_ids", big, "metric_key", "loss"},
                new String[] {"run_ids", big, "metric_key", "loss", "max_results", "320"})) {
            int limit = query.length == 4 ? 2500 : 320;
            List<JsonNode> points = bulk(query);
            List<Long> steps = stepsOf(points, big, RawHttpBulkIntervalTest::bigValue);
            assertEquals(points.size(), steps.size());
            assertTrue(steps.size() <= limit, "points: " + steps.size());
            assertTrue(steps.size() >= 100, "a chart needs more than " + steps.size() + " points");
            assertEquals(0L, steps.get(0));
            assertEquals(BIG - 1L, steps.get(steps.size() - 1));
            assertTrue(steps.contains((long) SPIKE), "the spike at step " + SPIKE + " is missing");
            assertTrue(steps.contains((long) DIP), "the dip at step " + DIP + " is missing");
        }
    }

    @Test
    void fewerPointsThanAskedForComeBackWhole() {
        List<JsonNode> points = bulk("run_ids", small, "metric_key", "loss", "max_results", "320", "start_step", "100",
                "end_step", "299");
        List<Long> steps = stepsOf(points, small, RawHttpBulkIntervalTest::smallValue);
        assertEquals(200, steps.size());
        assertEquals(100L, steps.get(0));
        assertEquals(299L, steps.get(199));
    }

    @Test
    void severalRunsEachGetTheirOwnBudget() {
        for (int max : new int[] {2, 10, 100, 320}) {
            List<JsonNode> points = bulk("run_ids", big, "run_ids", small, "metric_key", "loss",
                    "max_results", Integer.toString(max));
            Map<String, Integer> perRun = new HashMap<>();
            points.forEach(p -> perRun.merge(p.get("run_id").asText(), 1, Integer::sum));
            assertEquals(java.util.Set.of(big, small), perRun.keySet(), "max_results " + max);
            List<Long> bigSteps = stepsOf(points, big, RawHttpBulkIntervalTest::bigValue);
            List<Long> smallSteps = stepsOf(points, small, RawHttpBulkIntervalTest::smallValue);
            assertTrue(bigSteps.size() <= max, max + ": big has " + bigSteps.size());
            assertTrue(smallSteps.size() <= max, max + ": small has " + smallSteps.size());
            assertEquals(0L, bigSteps.get(0));
            assertEquals(BIG - 1L, bigSteps.get(bigSteps.size() - 1));
            assertEquals(0L, smallSteps.get(0));
            assertEquals(SMALL - 1L, smallSteps.get(smallSteps.size() - 1));
        }
    }

    @Test
    void stepWindow() {
        List<JsonNode> points = bulk("run_ids", big, "metric_key", "loss", "max_results", "320",
                "start_step", "20000", "end_step", "30000");
        List<Long> steps = stepsOf(points, big, RawHttpBulkIntervalTest::bigValue);
        assertTrue(steps.size() <= 320 && steps.size() >= 100, "points: " + steps.size());
        assertEquals(20_000L, steps.get(0));
        assertEquals(30_000L, steps.get(steps.size() - 1));
        assertTrue(steps.contains((long) DIP), "the dip inside the window is missing");
        assertTrue(steps.stream().allMatch(s -> s >= 20_000 && s <= 30_000));

        // windows reaching past either end of the series
        List<Long> tail = stepsOf(bulk("run_ids", big, "metric_key", "loss", "start_step", "99990", "end_step", "500000"), big,
                RawHttpBulkIntervalTest::bigValue);
        assertEquals(List.of(99_990L, 99_991L, 99_992L, 99_993L, 99_994L, 99_995L, 99_996L, 99_997L, 99_998L, 99_999L), tail);
        List<Long> head = stepsOf(bulk("run_ids", big, "metric_key", "loss", "start_step", "-10", "end_step", "4"), big,
                RawHttpBulkIntervalTest::bigValue);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), head);
        // a window past the end is empty
        assertEquals(List.of(), bulk("run_ids", big, "metric_key", "loss", "start_step", "200000", "end_step", "300000"));
        // MLflow wants both ends or neither
        assertEquals("If either start step or end step are specified, both must be specified.",
                server.http().get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss",
                        "start_step", "99990").error(400, "INVALID_PARAMETER_VALUE"));
    }

    @Test
    void newPointsShowUpInTheNextAnswer() {
        RawHttp http = server.http();
        String run = http.createRun(experimentId, "growing");
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            metrics.add(metric("loss", s, T0 + s, s));
        }
        http.post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).ok();
        assertEquals(50, bulk("run_ids", run, "metric_key", "loss").size());

        http.post("runs/log-metric", Map.of("run_id", run, "key", "loss", "value", 7, "timestamp", T0, "step", 1000)).ok();
        List<JsonNode> after = bulk("run_ids", run, "metric_key", "loss");
        assertEquals(51, after.size());
        assertEquals(1000L, after.get(after.size() - 1).get("step").asLong());
    }

    @Test
    void aMetricNeverLoggedHasNoPoints() {
        assertEquals(List.of(), bulk("run_ids", big, "metric_key", "never-logged"));
        List<JsonNode> mixed = bulk("run_ids", big, "run_ids", server.http().createRun(experimentId, "empty"),
                "metric_key", "loss", "max_results", "10");
        assertTrue(mixed.stream().allMatch(p -> p.get("run_id").asText().equals(big)));
    }

    @Test
    void badRequests() {
        RawHttp http = server.http();
        http.get("metrics/get-history-bulk-interval", "metric_key", "loss").error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big).error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss", "max_results", "0")
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss", "max_results", "-5")
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss", "max_results", "abc")
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss",
                "max_results", Integer.toString(Limits.MAX_BULK_INTERVAL_RESULTS + 1))
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss", "start_step", "10",
                "end_step", "5").error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", big, "metric_key", "loss", "start_step", "ten")
                .error(400, "INVALID_PARAMETER_VALUE");
        http.get("metrics/get-history-bulk-interval", "run_ids", "0000000000000000000000000000dead", "metric_key", "loss")
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        int tooMany = Limits.MAX_BULK_INTERVAL_RUNS + 1;
        String[] many = new String[2 * tooMany + 4];
        for (int i = 0; i < tooMany; i++) {
            many[2 * i] = "run_ids";
            many[2 * i + 1] = big;
        }
        many[2 * tooMany] = "metric_key";
        many[2 * tooMany + 1] = "loss";
        many[2 * tooMany + 2] = "max_results";
        many[2 * tooMany + 3] = "10";
        http.get("metrics/get-history-bulk-interval", many).error(400, "INVALID_PARAMETER_VALUE");
    }
}
