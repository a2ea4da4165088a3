package dev.labbook.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.JsonObject;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.NewTrace;
import dev.labbook.store.TraceQuery;
import dev.labbook.store.TraceStore;
import dev.labbook.store.artifact.ArtifactStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow 3's trace endpoints, under {@code /api/3.0/mlflow/} (register with {@link Api#v3}):
 * {@code traces} (StartTraceV3: log a finished trace), {@code traces/{trace_id}} (GetTraceInfoV3),
 * {@code traces/get} (GetTrace, with spans), {@code traces/batchGet} and
 * {@code traces/batchGetInfos}, {@code traces/search} (SearchTracesV3), {@code traces/delete-traces},
 * {@code traces/link-to-run} and {@code traces/{trace_id}/tags} (PATCH sets, DELETE deletes).
 * Fixed paths are registered before {@code traces/{trace_id}} so that they win.
 */
public final class TraceV3Routes implements RouteGroup {
    private final TraceStore store;
    private final TraceSpans spans;
    private final TraceRequests common;

    /** Routes over {@code store}, reading span data from {@code artifacts}. */
    public TraceV3Routes(TraceStore store, ArtifactStore artifacts) {
        this.store = store;
        this.spans = new TraceSpans(artifacts);
        this.common = new TraceRequests(store);
    }

    @Override
    public void register(Api api) {
        api.post("traces", this::start)
                .get("traces/get", this::getTrace)
                .get("traces/batchGet", this::batchGet)
                .post("traces/batchGetInfos", this::batchGetInfos)
                .post("traces/search", this::search)
                .post("traces/delete-traces", common::delete)
                .post("traces/link-to-run", common::linkToRun)
                .get("traces/{trace_id}", this::getInfo)
                .patch("traces/{trace_id}/tags", common::setTag)
                .delete("traces/{trace_id}/tags", common::deleteTag);
    }

    /** StartTraceV3: {@code {trace: {trace_info: TraceInfoV3}}}; answers the stored trace. */
    private Object start(ApiRequest req) {
        JsonObject trace = req.object("trace");
        JsonObject info = trace == null ? null : trace.object("trace_info");
        if (info == null) {
            throw ApiRequest.missing(trace == null ? "trace" : "trace.trace_info");
        }
        String requestTime = info.string("request_time");
        String duration = info.string("execution_duration");
        TraceState state = TraceJson.state(info.string("state"), "trace.trace_info.state");
        NewTrace t = new NewTrace(
                info.string("trace_id"),
                experimentId(info),
                requestTime == null ? System.currentTimeMillis() : TraceJson.parseTimestamp(requestTime, "trace.trace_info.request_time"),
                duration == null ? null : TraceJson.parseDuration(duration, "trace.trace_info.execution_duration"),
                state,
                info.string("client_request_id"),
                first(info.string("request_preview"), info.string("request")),
                first(info.string("response_preview"), info.string("response")),
                map(info.object("trace_metadata")),
                map(info.object("tags")));
        return Map.of("trace", TraceJson.trace(store.startTrace(t)));
    }

    private static String experimentId(JsonObject info) {
        JsonObject location = info.object("trace_location");
        String type = location == null ? null : location.string("type");
        if (type != null && !type.equals("MLFLOW_EXPERIMENT")) {
            throw LabbookException.invalid("Unsupported trace location type '%s': this server stores traces "
                    + "in MLflow experiments (MLFLOW_EXPERIMENT)", type);
        }
        JsonObject experiment = location == null ? null : location.object("mlflow_experiment");
        String id = experiment == null ? null : experiment.string("experiment_id");
        if (id == null || id.isEmpty()) {
            throw ApiRequest.missing("trace.trace_info.trace_location.mlflow_experiment.experiment_id");
        }
        return id;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static Map<String, String> map(JsonObject o) {
        return o == null ? Map.of() : o.asStringMap();
    }

    /** GetTraceInfoV3: {@code {trace: {trace_info}}}. */
    private Object getInfo(ApiRequest req) {
        return Map.of("trace", TraceJson.trace(require(TraceRequests.traceId(req))));
    }

    /** GetTrace: the trace with its spans from traces.json (none when no span data was uploaded). */
    private Object getTrace(ApiRequest req) {
        return Map.of("trace", withSpans(require(req.requiredString("trace_id"))));
    }

    /** BatchGetTraces: the known traces among {@code trace_ids}, with their spans. */
    private Object batchGet(ApiRequest req) {
        List<Map<String, Object>> traces = new ArrayList<>();
        for (TraceInfo t : store.getTraceInfos(req.strings("trace_ids"))) {
            traces.add(withSpans(t));
        }
        return Map.of("traces", traces);
    }

    /** BatchGetTraceInfos: the known traces among {@code trace_ids}, without spans. */
    private Object batchGetInfos(ApiRequest req) {
        return Map.of("trace_infos", store.getTraceInfos(req.strings("trace_ids")).stream().map(TraceJson::v3).toList());
    }

    private Map<String, Object> withSpans(TraceInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace_info", TraceJson.v3(t));
        m.put("spans", spans.spans(t).orElse(List.<JsonNode>of()));
        return m;
    }

    /**
     * SearchTracesV3: {@code locations} (MLflow experiments), {@code filter}, {@code max_results},
     * {@code order_by}, {@code page_token}; answers {@code traces} and {@code next_page_token}.
     */
    private Object search(ApiRequest req) {
        List<String> experiments = new ArrayList<>(req.objects("locations", TraceV3Routes::locationExperiment));
        experiments.addAll(req.strings("experiment_ids"));
        Page<TraceInfo> page = store.searchTraces(new TraceQuery(experiments, req.string("filter"),
                req.strings("order_by"), TraceRequests.maxResults(req), req.string("page_token")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("traces", page.items().stream().map(TraceJson::v3).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private static String locationExperiment(JsonObject location) {
        JsonObject experiment = location.object("mlflow_experiment");
        String id = experiment == null ? null : experiment.string("experiment_id");
        if (id == null || id.isEmpty()) {
            throw LabbookException.invalid("Only MLFLOW_EXPERIMENT trace locations with an experiment_id can be searched");
        }
        return id;
    }

    private TraceInfo require(String traceId) {
        return store.getTraceInfo(traceId)
                .orElseThrow(() -> LabbookException.notFound("Trace with ID '%s' not found.", traceId));
    }
}
