package dev.labbook.server.tracking;

import dev.labbook.core.LabbookException;
import dev.labbook.core.validation.Limits;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.TrackingStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code metrics/*}: histories in pages, and sampled histories for charts. */
public final class MetricRoutes implements RouteGroup {
    /** Points per run a chart asks for when it does not say (what MLflow's UI asks for). */
    static final int DEFAULT_CHART_POINTS = 320;

    private final TrackingStore store;

    public MetricRoutes(TrackingStore store) {
        this.store = store;
    }

    @Override
    public void register(Api api) {
        api.get("metrics/get-history", this::history)
                .get("metrics/get-history-bulk-interval", this::bulkInterval);
    }

    private Object history(ApiRequest req) {
        int max = req.intOr("max_results", Limits.MAX_HISTORY_PAGE);
        if (max < 1 || max > Limits.MAX_HISTORY_PAGE) {
            throw LabbookException.invalid("max_results must be between 1 and %d, got %d", Limits.MAX_HISTORY_PAGE, max);
        }
        var page = store.getMetricHistory(RunRoutes.runId(req), req.requiredString("metric_key"), max, req.string("page_token"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metrics", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private Object bulkInterval(ApiRequest req) {
        List<String> runIds = req.strings("run_ids");
        if (runIds.isEmpty()) {
            throw LabbookException.invalid("Missing value for required parameter 'run_ids'.");
        }
        if (runIds.size() > Limits.MAX_BULK_INTERVAL_RUNS) {
            throw LabbookException.invalid("At most %d run_ids may be given, got %d", Limits.MAX_BULK_INTERVAL_RUNS, runIds.size());
        }
        int max = req.intOr("max_results", DEFAULT_CHART_POINTS);
        if (max < 2 || max > Limits.MAX_BULK_INTERVAL_RESULTS) {
            throw LabbookException.invalid("max_results must be between 2 and %d, got %d", Limits.MAX_BULK_INTERVAL_RESULTS, max);
        }
        Long start = req.optLong("start_step");
        Long end = req.optLong("end_step");
        if (start != null && end != null && start > end) {
            throw LabbookException.invalid("start_step (%d) must not be greater than end_step (%d)", start, end);
        }
        return Map.of("metrics", store.getMetricHistoryBulkInterval(
                runIds, req.requiredString("metric_key"), start, end, max));
    }
}
