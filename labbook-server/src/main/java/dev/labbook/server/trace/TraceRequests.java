package dev.labbook.server.trace;

import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trace endpoints whose requests are the same in both API generations (delete, tags,
 * link-to-run), and the checks shared by both generations' searches. MLflow 3 clients still call
 * delete-traces and the tag endpoints under {@code /api/2.0}, so both route groups serve them.
 */
final class TraceRequests {
    /** MLflow's default page size for trace searches. */
    static final int DEFAULT_MAX_RESULTS = 100;
    /** The largest page MLflow's stores allow for any search. */
    static final int MAX_RESULTS = 50_000;
    /** The most traces one link-to-run request may name, as in MLflow. */
    static final int MAX_LINKED = 100;

    private final TraceStore store;

    TraceRequests(TraceStore store) {
        this.store = store;
    }

    /** The {@code max_results} of a search, checked as MLflow checks it. */
    static int maxResults(ApiRequest req) {
        int n = req.intOr("max_results", DEFAULT_MAX_RESULTS);
        if (n < 1 || n > MAX_RESULTS) {
            throw LabbookException.invalid("Invalid value %d for parameter 'max_results' supplied. It must be "
                    + "a positive integer at most %d", n, MAX_RESULTS);
        }
        return n;
    }

    /**
     * DeleteTraces: by {@code request_ids} (MLflow's field name in both generations;
     * {@code trace_ids} is accepted too) or by {@code max_timestamp_millis} with an optional
     * {@code max_traces}. Answers {@code traces_deleted}.
     */
    Object delete(ApiRequest req) {
        String experimentId = req.requiredString("experiment_id");
        Long maxTimestamp = req.optLong("max_timestamp_millis");
        Long maxTraces = req.optLong("max_traces");
        List<String> ids = new ArrayList<>(req.strings("request_ids"));
        ids.addAll(req.strings("trace_ids"));
        if (maxTimestamp == null && ids.isEmpty()) {
            throw LabbookException.invalid("Either `max_timestamp_millis` or `request_ids` must be specified.");
        }
        if (maxTimestamp != null && !ids.isEmpty()) {
            throw LabbookException.invalid("Only one of `max_timestamp_millis` and `request_ids` can be specified.");
        }
        if (maxTraces != null && !ids.isEmpty()) {
            throw LabbookException.invalid("`max_traces` can't be specified if `request_ids` is specified.");
        }
        if (maxTraces != null && (maxTraces < 1 || maxTraces > Integer.MAX_VALUE)) {
            throw LabbookException.invalid("`max_traces` must be a positive integer, received %d.", maxTraces);
        }
        int deleted = store.deleteTraces(experimentId, maxTimestamp,
                maxTraces == null ? null : maxTraces.intValue(), ids);
        return Map.of("traces_deleted", deleted);
    }

    /** SetTraceTag: {@code key} and {@code value} in the body, the trace in the path. */
    Object setTag(ApiRequest req) {
        store.setTraceTag(traceId(req), req.requiredString("key"), req.string("value"));
        return Api.empty();
    }

    /** DeleteTraceTag: {@code key} in the body (or the query string), the trace in the path. */
    Object deleteTag(ApiRequest req) {
        store.deleteTraceTag(traceId(req), req.requiredString("key"));
        return Api.empty();
    }

    /** LinkTracesToRun: {@code trace_ids} and {@code run_id}. */
    Object linkToRun(ApiRequest req) {
        String runId = req.requiredString("run_id");
        List<String> ids = req.strings("trace_ids");
        if (ids.size() > MAX_LINKED) {
            throw LabbookException.invalid("Cannot link more than %d traces to a run in a single request. Provided %d traces.",
                    MAX_LINKED, ids.size());
        }
        store.linkTracesToRun(ids, runId);
        return Api.empty();
    }

    /** The trace named by the path: {@code {trace_id}} (v3 routes) or {@code {request_id}} (v2 routes). */
    static String traceId(ApiRequest req) {
        var params = req.context().pathParamMap();
        return params.containsKey("trace_id") ? params.get("trace_id") : params.get("request_id");
    }
}
