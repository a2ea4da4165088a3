package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces over raw HTTP, replaying what MLflow 3 clients send for {@code @mlflow.trace} and
 * {@code mlflow.start_span} (StartTraceV3 once the trace has ended, then traces.json through the
 * artifact proxy to the location the server chose), for {@code mlflow.get_trace},
 * {@code search_traces}, tags and {@code delete_traces}; and the 2.x routes that MLflow 2 clients
 * and the 3.x fallback use.
 */
class RawHttpTracesTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final String V3 = "/api/3.0/mlflow/";
    private static final String V2 = "/api/2.0/mlflow/";

    // ---- helpers: the requests as MLflow's clients build them ----

    private static String newTraceId() {
        return "tr-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** StartTraceV3's body, as RestStore.start_trace sends it (message_to_json of a Trace without spans). */
    private static Map<String, Object> startV3Body(String traceId, String experimentId, String requestTime,
            String duration, String state, Map<String, String> metadata, Map<String, String> tags) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("trace_id", traceId);
        info.put("trace_location", Map.of("type", "MLFLOW_EXPERIMENT",
                "mlflow_experiment", Map.of("experiment_id", experimentId)));
        info.put("request_preview", "{\"question\": \"2 + 2\"}");
        info.put("response_preview", "\"4\"");
        info.put("request_time", requestTime);
        info.put("execution_duration", duration);
        info.put("state", state);
        info.put("trace_metadata", metadata);
        info.put("tags", tags);
        return Map.of("trace", Map.of("trace_info", info));
    }

    private JsonNode startV3(String traceId, String experimentId, String requestTime, String duration, String state,
            Map<String, String> metadata, Map<String, String> tags) {
        return server.http().send("POST", V3 + "traces",
                RawHttp.write(startV3Body(traceId, experimentId, requestTime, duration, state, metadata, tags)))
                .ok().get("trace").get("trace_info");
    }

    private JsonNode startV3(String traceId, String experimentId, String requestTime, String state, Map<String, String> tags) {
        return startV3(traceId, experimentId, requestTime, "0.250s", state,
                Map.of("mlflow.trace_schema.version", "3"), tags);
    }

    /** traces.json in MLflow 3's span form: a root span and one child, with inputs and outputs. */
    private static String tracesJson(String traceId) {
        String otelTrace = "AAECAwQFBgcICQoLDA0ODw==";
        String root = "AQIDBAUGBwg=";
        String child = "CQoLDA0ODxA=";
        return "{\"spans\": ["
                + "{\"trace_id\": \"" + otelTrace + "\", \"span_id\": \"" + root + "\", \"parent_span_id\": \"\", "
                + "\"name\": \"answer\", \"start_time_unix_nano\": 1748779200123000000, \"end_time_unix_nano\": 1748779200373000000, "
                + "\"events\": [], \"status\": {\"code\": \"STATUS_CODE_OK\", \"message\": \"\"}, "
                + "\"attributes\": {\"mlflow.traceRequestId\": \"\\\"" + traceId + "\\\"\", \"mlflow.spanType\": \"\\\"CHAIN\\\"\", "
                + "\"mlflow.spanInputs\": \"{\\\"question\\\": \\\"2 + 2\\\"}\", \"mlflow.spanOutputs\": \"\\\"4\\\"\"}},"
                + "{\"trace_id\": \"" + otelTrace + "\", \"span_id\": \"" + child + "\", \"parent_span_id\": \"" + root + "\", "
                + "\"name\": \"add\", \"start_time_unix_nano\": 1748779200200000000, \"end_time_unix_nano\": 1748779200300000000, "
                + "\"events\": [], \"status\": {\"code\": \"STATUS_CODE_OK\", \"message\": \"\"}, "
                + "\"attributes\": {\"mlflow.traceRequestId\": \"\\\"" + traceId + "\\\"\", \"mlflow.spanType\": \"\\\"TOOL\\\"\", "
                + "\"mlflow.spanInputs\": \"{\\\"a\\\": 2, \\\"b\\\": 2}\", \"mlflow.spanOutputs\": \"4\"}}"
                + "]}";
    }

    /**
     * The artifact proxy path an MLflow client uploads to for an {@code mlflow-artifacts:} URI: the
     * URI's path under {@code /api/2.0/mlflow-artifacts/artifacts} (what MlflowArtifactsRepository
     * resolves it to), then the file name.
     */
    private static String proxyPath(String artifactLocation, String file) {
        URI uri = URI.create(artifactLocation);
        assertEquals("mlflow-artifacts", uri.getScheme(), artifactLocation);
        return "/api/2.0/mlflow-artifacts/artifacts" + uri.getPath() + "/" + file;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode traces, String field) {
        List<String> out = new ArrayList<>();
        traces.forEach(t -> out.add(t.get(field).asText()));
        return out;
    }

    private static Map<String, Object> searchBody(String experimentId, String filter, int maxResults,
            List<String> orderBy, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locations", List.of(Map.of("type", "MLFLOW_EXPERIMENT",
                "mlflow_experiment", Map.of("experiment_id", experimentId))));
        if (filter != null) {
            body.put("filter", filter);
        }
        body.put("max_results", maxResults);
        body.put("order_by", orderBy);
        if (pageToken != null) {
            body.put("page_token", pageToken);
        }
        return body;
    }

    private JsonNode searchV3(String experimentId, String filter, int maxResults, List<String> orderBy, String pageToken) {
        return server.http().send("POST", V3 + "traces/search",
                RawHttp.write(searchBody(experimentId, filter, maxResults, orderBy, pageToken))).ok();
    }

    // ---- the tests ----

    @Test
    void aLoggedTraceRoundTripsWithItsSpansThroughTheArtifactProxy() throws Exception {
        String exp = server.http().createExperiment("traces-roundtrip");
        String runId = server.http().createRun(exp, "traced-run");
        String traceId = newTraceId();
        JsonNode info = startV3(traceId, exp, "2025-06-01T12:00:00.123Z", "0.250s", "OK",
                Map.of("mlflow.trace_schema.version", "3", "mlflow.sourceRun", runId),
                Map.of("mlflow.traceName", "answer", "mlflow.user", "alice"));
        assertEquals(traceId, info.get("trace_id").asText());
        assertEquals(exp, info.at("/trace_location/mlflow_experiment/experiment_id").asText());
        assertEquals("MLFLOW_EXPERIMENT", info.at("/trace_location/type").asText());
        assertEquals("2025-06-01T12:00:00.123Z", info.get("request_time").asText());
        assertEquals("0.25s", info.get("execution_duration").asText());
        assertEquals("OK", info.get("state").asText());
        assertEquals(runId, info.at("/trace_metadata/mlflow.sourceRun").asText());
        assertEquals("alice", info.at("/tags/mlflow.user").asText());
        // the server chose where span data goes: under the experiment's artifact location
        String location = info.at("/tags/mlflow.artifactLocation").asText();
        assertEquals("mlflow-artifacts:/" + exp + "/traces/" + traceId + "/artifacts", location);

        // the client uploads traces.json there through the proxy ...
        String upload = proxyPath(location, "traces.json");
        assertEquals("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/traces/" + traceId + "/artifacts/traces.json", upload);
        server.http().send("PUT", upload, tracesJson(traceId)).ok();
        // ... which lists it where the trace's artifacts are, and serves it back unchanged
        JsonNode listing = server.http().send("GET", "/api/2.0/mlflow-artifacts/artifacts?path="
                + q(exp + "/traces/" + traceId + "/artifacts"), null).ok();
        assertEquals(List.of("traces.json"), ids(listing.get("files"), "path"));
        assertEquals(RawHttp.JSON.readTree(tracesJson(traceId)),
                RawHttp.JSON.readTree(server.http().send("GET", upload, null).body()));

        // mlflow.get_trace: GetTraceInfoV3 (the client then downloads traces.json itself)
        JsonNode got = server.http().send("GET", V3 + "traces/" + traceId + "?trace_id=" + traceId, null).ok();
        assertEquals(info, got.get("trace").get("trace_info"));

        // GetTrace reads the spans back from what the proxy stored
        JsonNode full = server.http().send("GET", V3 + "traces/get?trace_id=" + traceId, null).ok().get("trace");
        assertEquals(traceId, full.at("/trace_info/trace_id").asText());
        assertEquals(List.of("answer", "add"), ids(full.get("spans"), "name"));
        assertEquals(full.at("/spans/0/span_id"), full.at("/spans/1/parent_span_id"));
        assertEquals("{\"a\": 2, \"b\": 2}", full.at("/spans/1/attributes/mlflow.spanInputs").asText());

        // batchGet: the known ones among the ids, with spans
        String unknown = newTraceId();
        JsonNode batch = server.http().send("GET", V3 + "traces/batchGet?trace_ids=" + traceId + "&trace_ids=" + unknown, null).ok();
        assertEquals(1, batch.get("traces").size());
        assertEquals(traceId, batch.at("/traces/0/trace_info/trace_id").asText());
        assertEquals(2, batch.at("/traces/0/spans").size());
        JsonNode infos = server.http().send("POST", V3 + "traces/batchGetInfos",
                RawHttp.write(Map.of("trace_ids", List.of(unknown, traceId)))).ok();
        assertEquals(List.of(traceId), ids(infos.get("trace_infos"), "trace_id"));

        // the 2.x view of the same trace
        JsonNode v2 = server.http().send("GET", V2 + "traces/" + traceId + "/info", null).ok().get("trace_info");
        assertEquals(traceId, v2.get("request_id").asText());
        assertEquals(exp, v2.get("experiment_id").asText());
        assertEquals(1748779200123L, v2.get("timestamp_ms").asLong());
        assertEquals(250, v2.get("execution_time_ms").asLong());
        assertEquals("OK", v2.get("status").asText());
        assertTrue(RawHttp.keys(v2.get("tags")).contains("mlflow.artifactLocation"));
        assertTrue(RawHttp.keys(v2.get("request_metadata")).contains("mlflow.sourceRun"));
    }

    /**
     * The exchange of an MLflow 3.6 client, as recorded against this server, for
     * {@code @mlflow.trace} then {@code mlflow.get_trace}, {@code MlflowClient.search_traces},
     * {@code set_trace_tag}, {@code delete_trace_tag} and {@code delete_traces}: the bodies as sent,
     * with the experiment id and the times substituted.
     */
    @Test
    void replaysARecordedMlflow3ClientExchange() throws Exception {
        String exp = server.http().createExperiment("traces-recorded");
        String traceId = "tr-101fe68ff11595b8c7eac8aaaeb81bed";
        String start = "{\"trace\": {\"trace_info\": {\"trace_id\": \"" + traceId + "\", \"trace_location\": "
                + "{\"type\": \"MLFLOW_EXPERIMENT\", \"mlflow_experiment\": {\"experiment_id\": \"" + exp + "\"}}, "
                + "\"request_time\": \"2026-12-04T19:19:45.911Z\", \"execution_duration\": \"0.350s\", \"state\": \"OK\", "
                + "\"trace_metadata\": {\"mlflow.source.git.commit\": \"\", \"mlflow.source.git.repoURL\": \"\", "
                + "\"mlflow.trace.sizeStats\": \"{\\\"total_size_bytes\\\": 1184, \\\"num_spans\\\": 1, \\\"max\\\": 491, "
                + "\\\"p25\\\": 491, \\\"p50\\\": 491, \\\"p75\\\": 491}\", \"mlflow.traceOutputs\": \"4\", "
                + "\"mlflow.traceInputs\": \"{\\\"q\\\": \\\"2+2\\\"}\", \"mlflow.trace_schema.version\": \"3\", "
                + "\"mlflow.source.name\": \"/tmp/record.py\", \"mlflow.source.git.branch\": \"\", "
                + "\"mlflow.trace.sizeBytes\": \"1184\", \"mlflow.source.type\": \"LOCAL\", \"mlflow.user\": \"root\"}, "
                + "\"tags\": {\"mlflow.traceName\": \"answer\"}, \"request_preview\": \"{\\\"q\\\": \\\"2+2\\\"}\", "
                + "\"response_preview\": \"4\"}}}";
        JsonNode info = server.http().send("POST", V3 + "traces", start).ok().at("/trace/trace_info");
        assertEquals("0.35s", info.get("execution_duration").asText());
        assertEquals("{\"total_size_bytes\": 1184, \"num_spans\": 1, \"max\": 491, \"p25\": 491, \"p50\": 491, \"p75\": 491}",
                info.at("/trace_metadata/mlflow.trace.sizeStats").asText());
        String location = info.at("/tags/mlflow.artifactLocation").asText();
        // the spans as that client wrote them: a root without a parent (null), ids in base64
        String spans = "{\"spans\": [{\"trace_id\": \"EB/mj/EVlbjH6siqrrgb7Q==\", \"span_id\": \"FItBJtKsFAQ=\", "
                + "\"parent_span_id\": null, \"name\": \"answer\", \"start_time_unix_nano\": 1796411985911456068, "
                + "\"end_time_unix_nano\": 1796411986261978076, \"events\": [], \"status\": {\"code\": \"STATUS_CODE_OK\", "
                + "\"message\": \"\"}, \"attributes\": {\"mlflow.traceRequestId\": \"\\\"" + traceId + "\\\"\", "
                + "\"mlflow.spanType\": \"\\\"UNKNOWN\\\"\", \"mlflow.spanFunctionName\": \"\\\"answer\\\"\", "
                + "\"mlflow.spanInputs\": \"{\\\"q\\\": \\\"2+2\\\"}\", \"mlflow.spanOutputs\": \"4\"}}]}";
        server.http().send("PUT", proxyPath(location, "traces.json"), spans).ok();

        // mlflow.get_trace: GetTraceInfoV3 with the id also as a query parameter, then traces.json
        JsonNode got = server.http().send("GET", V3 + "traces/" + traceId + "?trace_id=" + traceId, null).ok();
        assertEquals(info, got.at("/trace/trace_info"));
        assertEquals(RawHttp.JSON.readTree(spans),
                RawHttp.JSON.readTree(server.http().send("GET", proxyPath(location, "traces.json"), null).body()));
        assertEquals("answer", server.http().send("GET", V3 + "traces/get?trace_id=" + traceId, null).ok()
                .at("/trace/spans/0/name").asText());

        JsonNode found = server.http().send("POST", V3 + "traces/search", "{\"locations\": [{\"type\": \"MLFLOW_EXPERIMENT\", "
                + "\"mlflow_experiment\": {\"experiment_id\": \"" + exp + "\"}}], \"filter\": \"trace.status = 'OK'\", "
                + "\"max_results\": 2}").ok();
        assertEquals(List.of(traceId), ids(found.get("traces"), "trace_id"));
        server.http().send("PATCH", V2 + "traces/" + traceId + "/tags", "{\"key\": \"k\", \"value\": \"v\"}").ok();
        server.http().send("DELETE", V2 + "traces/" + traceId + "/tags", "{\"key\": \"k\"}").ok();
        JsonNode deleted = server.http().send("POST", V2 + "traces/delete-traces", "{\"experiment_id\": \"" + exp
                + "\", \"max_timestamp_millis\": 4611686018427387904, \"max_traces\": 10}").ok();
        assertEquals(1, deleted.get("traces_deleted").asInt());
    }

    @Test
    void loggingTheSameTraceAgainUpdatesIt() {
        String exp = server.http().createExperiment("traces-relog");
        String traceId = newTraceId();
        startV3(traceId, exp, "2025-06-01T12:00:00Z", "0s", "IN_PROGRESS", Map.of("a", "1"), Map.of("t", "x"));
        JsonNode again = startV3(traceId, exp, "2025-06-01T12:00:00Z", "1.5s", "ERROR", Map.of("b", "2"), Map.of("t", "y"));
        assertEquals("ERROR", again.get("state").asText());
        assertEquals("1.5s", again.get("execution_duration").asText());
        assertEquals("1", again.at("/trace_metadata/a").asText());
        assertEquals("2", again.at("/trace_metadata/b").asText());
        assertEquals("y", again.at("/tags/t").asText());
        assertEquals(1, searchV3(exp, null, 10, List.of(), null).get("traces").size());
    }

    @Test
    void searchFiltersOrdersAndPages() {
        String exp = server.http().createExperiment("traces-search");
        String other = server.http().createExperiment("traces-search-other");
        List<String> okIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = newTraceId();
            okIds.add(id);
            startV3(id, exp, "2025-06-01T12:00:0" + i + "Z", "0." + (i + 1) + "s", "OK",
                    Map.of("mlflow.trace_schema.version", "3"), Map.of("mlflow.traceName", "step" + i, "topic", i % 2 == 0 ? "math" : "chat"));
        }
        String failed = newTraceId();
        startV3(failed, exp, "2025-06-01T12:00:09Z", "ERROR", Map.of("mlflow.traceName", "broken", "topic", "math"));
        startV3(newTraceId(), other, "2025-06-01T12:00:05Z", "OK", Map.of("topic", "math"));

        // default order: newest first
        JsonNode all = searchV3(exp, null, 100, List.of(), null);
        List<String> expected = new ArrayList<>(List.of(failed));
        for (int i = okIds.size() - 1; i >= 0; i--) {
            expected.add(okIds.get(i));
        }
        assertEquals(expected, ids(all.get("traces"), "trace_id"));
        assertFalse(all.has("next_page_token"));

        // a filter over state, tags and time, as search_traces writes it
        JsonNode math = searchV3(exp, "trace.status = 'OK' AND tags.topic = 'math' AND trace.timestamp_ms > "
                + java.time.Instant.parse("2025-06-01T12:00:00Z").toEpochMilli(), 100, List.of("timestamp_ms ASC"), null);
        assertEquals(List.of(okIds.get(2), okIds.get(4)), ids(math.get("traces"), "trace_id"));
        assertEquals(List.of(failed), ids(searchV3(exp, "attributes.status = 'ERROR'", 100, List.of(), null).get("traces"), "trace_id"));
        assertEquals(List.of(okIds.get(3)), ids(searchV3(exp, "name = 'step3'", 100, List.of(), null).get("traces"), "trace_id"));
        assertEquals(List.of(okIds.get(1), okIds.get(0)),
                ids(searchV3(exp, "execution_time_ms <= 200", 100, List.of(), null).get("traces"), "trace_id"));
        assertEquals(List.of(failed, okIds.get(0)), ids(searchV3(exp, "trace.name IN ('broken', 'step0')", 100,
                List.of(), null).get("traces"), "trace_id"));
        assertEquals(6, searchV3(exp, "metadata.`mlflow.trace_schema.version` = '3'", 100, List.of(), null).get("traces").size());

        // order by duration, longest first, in pages of two
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = searchV3(exp, "trace.status = 'OK'", 2, List.of("execution_time_ms DESC"), token);
            assertTrue(page.get("traces").size() <= 2);
            paged.addAll(ids(page.get("traces"), "trace_id"));
            token = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(List.of(okIds.get(4), okIds.get(3), okIds.get(2), okIds.get(1), okIds.get(0)), paged);

        // order by a tag
        assertEquals(List.of(failed, okIds.get(0), okIds.get(1)),
                ids(searchV3(exp, null, 3, List.of("tags.`mlflow.traceName` ASC"), null).get("traces"), "trace_id"));

        // both experiments at once
        JsonNode both = server.http().send("POST", V3 + "traces/search", RawHttp.write(Map.of(
                "locations", List.of(
                        Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", exp)),
                        Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", other))),
                "filter", "tags.topic = 'math'", "max_results", 100))).ok();
        assertEquals(5, both.get("traces").size());

        // what MLflow refuses
        server.http().send("POST", V3 + "traces/search",
                RawHttp.write(searchBody(exp, "tags.topic > 'a'", 10, List.of(), null))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces/search",
                RawHttp.write(searchBody(exp, "metrics.acc > 1", 10, List.of(), null))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces/search",
                RawHttp.write(searchBody(exp, null, 0, List.of(), null))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces/search",
                RawHttp.write(searchBody(exp, null, 10, List.of("nope DESC"), null))).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void tagsAreSetAndDeletedUnderBothPrefixes() {
        String exp = server.http().createExperiment("traces-tags");
        String traceId = newTraceId();
        startV3(traceId, exp, "2025-06-01T12:00:00Z", "OK", Map.of());
        // MLflow 3 clients set and delete trace tags under /api/2.0 (SetTraceTag, DeleteTraceTag)
        server.http().send("PATCH", V2 + "traces/" + traceId + "/tags", RawHttp.write(Map.of("key", "reviewed", "value", "yes"))).ok();
        server.http().send("PATCH", V3 + "traces/" + traceId + "/tags", RawHttp.write(Map.of("key", "score", "value", "0.9"))).ok();
        JsonNode tags = server.http().send("GET", V3 + "traces/" + traceId, null).ok().at("/trace/trace_info/tags");
        assertEquals("yes", tags.get("reviewed").asText());
        assertEquals("0.9", tags.get("score").asText());
        assertEquals(1, searchV3(exp, "tags.reviewed = 'yes'", 10, List.of(), null).get("traces").size());

        server.http().send("DELETE", V2 + "traces/" + traceId + "/tags", RawHttp.write(Map.of("key", "reviewed"))).ok();
        server.http().send("DELETE", V3 + "traces/" + traceId + "/tags", RawHttp.write(Map.of("key", "score"))).ok();
        tags = server.http().send("GET", V3 + "traces/" + traceId, null).ok().at("/trace/trace_info/tags");
        assertFalse(tags.has("reviewed"));
        assertFalse(tags.has("score"));
        assertEquals(0, searchV3(exp, "tags.reviewed = 'yes'", 10, List.of(), null).get("traces").size());

        server.http().send("DELETE", V2 + "traces/" + traceId + "/tags", RawHttp.write(Map.of("key", "reviewed")))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().send("PATCH", V2 + "traces/" + newTraceId() + "/tags", RawHttp.write(Map.of("key", "k", "value", "v")))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void tracesAreDeletedByIdAndByTimestamp() {
        String exp = server.http().createExperiment("traces-delete");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = newTraceId();
            ids.add(id);
            startV3(id, exp, "2025-06-01T12:00:0" + i + "Z", "OK", Map.of());
        }
        // MlflowClient.delete_traces(experiment_id, trace_ids=[...]): DeleteTraces with request_ids
        JsonNode byId = server.http().post("traces/delete-traces",
                Map.of("experiment_id", exp, "request_ids", List.of(ids.get(4)))).ok();
        assertEquals(1, byId.get("traces_deleted").asInt());
        server.http().send("GET", V3 + "traces/" + ids.get(4), null).error(404, "RESOURCE_DOES_NOT_EXIST");

        // by timestamp, the oldest first, at most max_traces
        long third = java.time.Instant.parse("2025-06-01T12:00:02Z").toEpochMilli();
        JsonNode byTime = server.http().send("POST", V3 + "traces/delete-traces", RawHttp.write(Map.of(
                "experiment_id", exp, "max_timestamp_millis", third, "max_traces", 2))).ok();
        assertEquals(2, byTime.get("traces_deleted").asInt());
        assertEquals(List.of(ids.get(3), ids.get(2)), ids(searchV3(exp, null, 10, List.of(), null).get("traces"), "trace_id"));
        JsonNode rest = server.http().post("traces/delete-traces",
                Map.of("experiment_id", exp, "max_timestamp_millis", third)).ok();
        assertEquals(1, rest.get("traces_deleted").asInt());
        assertEquals(List.of(ids.get(3)), ids(searchV3(exp, null, 10, List.of(), null).get("traces"), "trace_id"));

        // what MLflow refuses
        server.http().post("traces/delete-traces", Map.of("experiment_id", exp)).error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("traces/delete-traces", Map.of("experiment_id", exp, "max_timestamp_millis", third,
                "request_ids", List.of(ids.get(3)))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("traces/delete-traces", Map.of("experiment_id", exp, "max_traces", 1,
                "request_ids", List.of(ids.get(3)))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().post("traces/delete-traces", Map.of("max_timestamp_millis", third)).error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void theV2RoutesServeMlflow2ClientsAndTheFallback() {
        String exp = server.http().createExperiment("traces-v2");
        // StartTrace: the server assigns the id and the artifact location
        JsonNode started = server.http().post("traces", Map.of("experiment_id", exp, "timestamp_ms", 1_700_000_000_000L,
                "request_metadata", List.of(RawHttp.kv("mlflow.traceInputs", "{\"x\": 1}")),
                "tags", List.of(RawHttp.kv("mlflow.traceName", "predict")))).ok().get("trace_info");
        String requestId = started.get("request_id").asText();
        assertTrue(requestId.matches("tr-[0-9a-f]{32}"), requestId);
        assertEquals("IN_PROGRESS", started.get("status").asText());
        assertFalse(started.has("execution_time_ms"));
        assertTrue(RawHttp.keys(started.get("tags")).contains("mlflow.artifactLocation"));

        // EndTrace
        JsonNode ended = server.http().send("PATCH", V2 + "traces/" + requestId, RawHttp.write(Map.of(
                "request_id", requestId, "timestamp_ms", 1_700_000_000_750L, "status", "OK",
                "request_metadata", List.of(RawHttp.kv("mlflow.traceOutputs", "2")),
                "tags", List.of(RawHttp.kv("done", "true"))))).ok().get("trace_info");
        assertEquals(750, ended.get("execution_time_ms").asLong());
        assertEquals("OK", ended.get("status").asText());
        assertEquals(List.of("mlflow.traceInputs", "mlflow.traceOutputs"), RawHttp.keys(ended.get("request_metadata")));

        // GetTraceInfo, and the v3 view of the same trace
        assertEquals(ended, server.http().get("traces/" + requestId + "/info").ok().get("trace_info"));
        JsonNode v3 = server.http().send("GET", V3 + "traces/" + requestId, null).ok().at("/trace/trace_info");
        assertEquals("0.75s", v3.get("execution_duration").asText());
        assertEquals("2023-11-14T22:13:20Z", v3.get("request_time").asText());

        // SearchTraces (GET with query parameters)
        JsonNode found = server.http().get("traces", "experiment_ids", exp, "filter", "status = 'OK'",
                "max_results", "10", "order_by", "timestamp_ms DESC").ok();
        assertEquals(List.of(requestId), ids(found.get("traces"), "request_id"));
        assertEquals(0, server.http().get("traces", "experiment_ids", exp, "filter", "tags.done = 'false'").ok()
                .get("traces").size());

        server.http().get("traces/" + newTraceId() + "/info").error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().post("traces", Map.of("experiment_id", "987654", "timestamp_ms", 1)).error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void tracesLinkedToARunAreFoundByRunId() {
        String exp = server.http().createExperiment("traces-link");
        String runId = server.http().createRun(exp, "eval");
        String logged = newTraceId();
        String linked = newTraceId();
        startV3(logged, exp, "2025-06-01T12:00:00Z", "0.1s", "OK", Map.of("mlflow.sourceRun", runId), Map.of());
        startV3(linked, exp, "2025-06-01T12:00:01Z", "OK", Map.of());
        startV3(newTraceId(), exp, "2025-06-01T12:00:02Z", "OK", Map.of());
        server.http().post("traces/link-to-run", Map.of("trace_ids", List.of(linked), "run_id", runId)).ok();
        assertEquals(List.of(linked, logged),
                ids(searchV3(exp, "attribute.run_id = '" + runId + "'", 10, List.of(), null).get("traces"), "trace_id"));
        server.http().post("traces/link-to-run", Map.of("trace_ids", List.of(linked), "run_id", "no-such-run"))
                .error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void unknownTraceRoutesAnswerEndpointNotFoundSoClientsFallBack() {
        String traceId = newTraceId();
        for (String[] call : new String[][] {
                {"GET", V3 + "traces/" + traceId + "/assessments/a-1"},
                {"POST", V3 + "traces/" + traceId + "/assessments"},
                {"POST", V3 + "traces/calculate-filter-correlation"},
                {"GET", V3 + "traces/" + traceId + "/no-such-thing"},
                {"GET", V3 + "experiments/get"},
                {"DELETE", V3 + "traces"},
                {"GET", V2 + "traces/" + traceId + "/assessments"},
        }) {
            server.http().send(call[0], call[1], call[0].equals("GET") ? null : "{}").error(404, "ENDPOINT_NOT_FOUND");
        }
        // a known route with an unknown trace is RESOURCE_DOES_NOT_EXIST, on which clients do not fall back
        server.http().send("GET", V3 + "traces/" + traceId, null).error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().send("GET", V3 + "traces/get?trace_id=" + traceId, null).error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void malformedStartRequestsAreRefused() {
        String exp = server.http().createExperiment("traces-bad");
        server.http().send("POST", V3 + "traces", "{}").error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces", RawHttp.write(startV3Body(newTraceId(), exp, "yesterday", "0.1s", "OK",
                Map.of(), Map.of()))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces", RawHttp.write(startV3Body(newTraceId(), exp, "2025-06-01T12:00:00Z", "100",
                "OK", Map.of(), Map.of()))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces", RawHttp.write(startV3Body(newTraceId(), exp, "2025-06-01T12:00:00Z", "0.1s",
                "DONE", Map.of(), Map.of()))).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", V3 + "traces", RawHttp.write(startV3Body(newTraceId(), "424242", "2025-06-01T12:00:00Z",
                "0.1s", "OK", Map.of(), Map.of()))).error(404, "RESOURCE_DOES_NOT_EXIST");
    }
}
