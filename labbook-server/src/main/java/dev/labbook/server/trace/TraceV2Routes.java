package dev.labbook.server.trace;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.NewTrace;
import dev.labbook.store.TraceQuery;
import dev.labbook.store.TraceStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace endpoints of the 2.x API, under {@code /api/2.0/mlflow/}: what MLflow 2 clients call,
 * what MLflow 3 clients fall back to when a v3 route answers ENDPOINT_NOT_FOUND, and the routes
 * MLflow 3 clients still call there (delete-traces, tags). {@code traces} (POST StartTrace, GET
 * SearchTraces), {@code traces/{request_id}} (PATCH EndTrace), {@code traces/{request_id}/info}
 * (GetTraceInfo), {@code traces/delete-traces}, {@code traces/link-to-run},
 * {@code traces/{request_id}/tags} (PATCH, DELETE). They act on the same stored traces as
 * {@link TraceV3Routes}.
 */
public final class TraceV2Routes implements RouteGroup {
    private final TraceStore store;
    private final TraceRequests common;

    /** Routes over {@code store}. */
    public TraceV2Routes(TraceStore store) {
        this.store = store;
        this.common = new TraceRequests(store);
    }

    @Override
    public void register(Api api) {
        api.post("traces", this::start)
                .get("traces", this::search)
                .post("traces/delete-traces", common::delete)
                .post("traces/link-to-run", common::linkToRun)
                .patch("traces/{request_id}", this::end)
                .get("traces/{request_id}/info", this::getInfo)
                .patch("traces/{request_id}/tags", common::setTag)
                .delete("traces/{request_id}/tags", common::deleteTag);
    }

    /** StartTrace: an in-progress trace; the server assigns its id. */
    private Object start(ApiRequest req) {
        NewTrace t = new NewTrace(null, req.requiredString("experiment_id"),
                req.requiredLong("timestamp_ms"), null, TraceState.IN_PROGRESS, null, null, null,
                TraceJson.pairs(req.objects("request_metadata", o -> o)),
                TraceJson.pairs(req.objects("tags", o -> o)));
        return Map.of("trace_info", TraceJson.v2(store.startTrace(t)));
    }

    /** EndTrace: sets the duration from {@code timestamp_ms}, the status, and merges metadata and tags. */
    private Object end(ApiRequest req) {
        TraceInfo t = store.endTrace(TraceRequests.traceId(req), req.requiredLong("timestamp_ms"),
                TraceJson.state(req.string("status"), "status"),
                TraceJson.pairs(req.objects("request_metadata", o -> o)),
                TraceJson.pairs(req.objects("tags", o -> o)));
        return Map.of("trace_info", TraceJson.v2(t));
    }

    /** GetTraceInfo. */
    private Object getInfo(ApiRequest req) {
        String id = TraceRequests.traceId(req);
        TraceInfo t = store.getTraceInfo(id)
                .orElseThrow(() -> LabbookException.notFound("Trace with request_id '%s' not found.", id));
        return Map.of("trace_info", TraceJson.v2(t));
    }

    /** SearchTraces: {@code experiment_ids}, {@code filter}, {@code max_results}, {@code order_by}, {@code page_token}. */
    private Object search(ApiRequest req) {
        Page<TraceInfo> page = store.searchTraces(new TraceQuery(req.strings("experiment_ids"), req.string("filter"),
                req.strings("order_by"), TraceRequests.maxResults(req), req.string("page_token")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("traces", page.items().stream().map(TraceJson::v2).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }
}
