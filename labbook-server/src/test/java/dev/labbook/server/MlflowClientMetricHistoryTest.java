package dev.labbook.server;

import static dev.labbook.server.MlflowClientRunsTest.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.GetMetricHistory;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * Histories longer than one page: 60,000 and 30,000 points logged with log-batch in chunks of
 * 1000, in shuffled order, read back whole.
 *
 * <p>mlflow-client 2.17.2's own {@code getMetricHistory} asks {@code max_results=25000} without a
 * page token and cannot join pages (it calls {@code addAll} on the immutable list protobuf
 * returns for the first page). A real MLflow 2.x server answers that request with the whole
 * history; MLflow 3 pages at 25,000 and so breaks this client. Labbook's rule (README): no page
 * token and max_results absent or 25,000 gets the whole history, streamed; a page token or a
 * smaller max_results pages as before.
 */
class MlflowClientMetricHistoryTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final int POINTS = 60_000;
    private static final int PAGE = 25_000;
    private static final int SMALLER_PAGE = 20_000;
    private static final long T0 = 1_700_000_000_000L;
    private static String runId;

    @BeforeAll
    static void logLongHistories() {
        MlflowClient client = server.client();
        String exp = client.createExperiment("history");
        runId = client.createRun(CreateRun.newBuilder().setExperimentId(exp).setRunName("long")
                .setStartTime(T0).build()).getRunId();
        logShuffled(client, "loss", POINTS);
        logShuffled(client, "one-page", PAGE);
        logShuffled(client, "thirty-k", 30_000);
        client.logBatch(runId, List.of(metric("other", 1.0, T0, 0)), List.of(), List.of());
    }

    private static void logShuffled(MlflowClient client, String key, int n) {
        List<Metric> points = new ArrayList<>(n);
        for (int step = 0; step < n; step++) {
            points.add(metric(key, value(step), T0 + step, step));
        }
        Collections.shuffle(points, new Random(42));
        for (int from = 0; from < n; from += 1000) {
            client.logBatch(runId, points.subList(from, from + 1000), List.of(), List.of());
        }
    }

    private static double value(int step) {
        return 1.0 / (1 + step) + (step % 7) * 1e-6;
    }

    private static void assertWholeHistory(String key, List<Metric> history, int n) {
        assertEquals(n, history.size());
        for (int i = 0; i < n; i++) {
            Metric m = history.get(i);
            if (m.getStep() != i || m.getValue() != value(i) || m.getTimestamp() != T0 + i || !m.getKey().equals(key)) {
                throw new AssertionError("point " + i + " of " + key + " is " + m);
            }
        }
    }

    /** get-history in pages of 20,000 through the official client's HTTP layer and protobuf messages. */
    private static List<Metric> historyThroughClientTransport(String key) throws InvalidProtocolBufferException {
        List<Metric> out = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        String token = "";
        do {
            String path = "metrics/get-history?run_id=" + runId + "&metric_key=" + key + "&max_results=" + SMALLER_PAGE
                    + (token.isEmpty() ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            GetMetricHistory.Response.Builder page = GetMetricHistory.Response.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(server.client().sendGet(path), page);
            out.addAll(page.getMetricsList());
            pages.add(page.getMetricsCount());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(List.of(SMALLER_PAGE, SMALLER_PAGE, SMALLER_PAGE), pages);
        return out;
    }

    @Test
    void allPointsInStepOrderThroughTheClient() throws Exception {
        assertWholeHistory("loss", historyThroughClientTransport("loss"), POINTS);
    }

    @Test
    void clientGetMetricHistoryReadsAFullPage() {
        assertWholeHistory("one-page", server.client().getMetricHistory(runId, "one-page"), PAGE);
        assertEquals(1, server.client().getMetricHistory(runId, "other").size());
    }

    /** The case: the official client reads a 30,000-point history whole, as from MLflow 2.x. */
    @Test
    void clientGetMetricHistoryReadsThirtyThousandPoints() {
        assertWholeHistory("thirty-k", server.client().getMetricHistory(runId, "thirty-k"), 30_000);
    }

    @Test
    void clientGetMetricHistoryReadsSixtyThousandPoints() {
        assertWholeHistory("loss", server.client().getMetricHistory(runId, "loss"), POINTS);
    }

    @Test
    void theRunShowsTheLastStep() {
        Metric latest = server.client().getRun(runId).getData().getMetricsList().stream()
                .filter(m -> m.getKey().equals("loss")).findFirst().orElseThrow();
        assertEquals(POINTS - 1, latest.getStep());
        assertEquals(value(POINTS - 1), latest.getValue());
    }

    /** No token and max_results absent or 25000: the whole history in one answer, without a token. */
    @Test
    void withoutATokenTheWholeHistoryComesInOneAnswer() {
        RawHttp http = server.http();
        for (String[] query : List.of(
                new String[] {"run_id", runId, "metric_key", "loss"},
                new String[] {"run_id", runId, "metric_key", "loss", "max_results", "25000"},
                // what the Java client sends
                new String[] {"run_uuid", runId, "run_id", runId, "metric_key", "loss", "max_results", "25000"},
                new String[] {"run_id", runId, "metric_key", "loss", "max_results", "25000", "page_token", ""})) {
            JsonNode body = http.get("metrics/get-history", query).ok();
            assertEquals(POINTS, body.get("metrics").size());
            assertFalse(body.hasNonNull("next_page_token"));
            long expected = 0;
            for (JsonNode m : body.get("metrics")) {
                assertEquals(expected++, m.get("step").asLong());
            }
        }
        http.get("metrics/get-history", "run_id", "0000000000000000000000000000dead", "metric_key", "loss")
                .error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** The whole history is written as it is read (chunked), not built in memory and sized first. */
    @Test
    void theWholeHistoryIsStreamed() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpResponse<java.io.InputStream> r = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/api/2.0/mlflow/metrics/get-history?run_id=" + runId
                                + "&metric_key=loss&max_results=25000")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElse(""));
        assertFalse(r.headers().firstValue("Content-Length").isPresent());
        try (java.io.InputStream in = r.body()) {
            JsonNode body = RawHttp.JSON.readTree(in);
            assertEquals(POINTS, body.get("metrics").size());
        }
    }

    /** A smaller max_results, or any page token, pages exactly as before. */
    @Test
    void aPageTokenOrASmallerMaxResultsStillPages() {
        RawHttp http = server.http();
        List<Integer> sizes = new ArrayList<>();
        long expected = 0;
        String token = null;
        do {
            JsonNode body = token == null
                    ? http.get("metrics/get-history", "run_id", runId, "metric_key", "loss", "max_results", "24999").ok()
                    : http.get("metrics/get-history", "run_id", runId, "metric_key", "loss", "max_results", "24999",
                            "page_token", token).ok();
            sizes.add(body.get("metrics").size());
            for (JsonNode m : body.get("metrics")) {
                assertEquals(expected++, m.get("step").asLong());
            }
            token = body.hasNonNull("next_page_token") ? body.get("next_page_token").asText() : null;
        } while (token != null && !token.isEmpty());
        assertEquals(List.of(24_999, 24_999, 10_002), sizes);

        // smaller pages when asked for
        JsonNode small = http.get("metrics/get-history", "run_id", runId, "metric_key", "loss", "max_results", "7").ok();
        assertEquals(7, small.get("metrics").size());
        assertTrue(small.hasNonNull("next_page_token"));
        // a token with the default page size: a page of 25,000, then a token, as MLflow 3 pages
        JsonNode next = http.get("metrics/get-history", "run_id", runId, "metric_key", "loss",
                "page_token", small.get("next_page_token").asText()).ok();
        assertEquals(PAGE, next.get("metrics").size());
        assertEquals(7, next.get("metrics").get(0).get("step").asLong());
        assertTrue(next.hasNonNull("next_page_token"));

        // more than a page is refused rather than silently truncated
        http.get("metrics/get-history", "run_id", runId, "metric_key", "loss", "max_results", "25001")
                .error(400, "INVALID_PARAMETER_VALUE");
    }
}
