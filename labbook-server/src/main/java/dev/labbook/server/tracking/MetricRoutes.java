package dev.labbook.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.MetricWithRunId;
import dev.labbook.core.model.Page;
import dev.labbook.core.validation.Limits;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.Json;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.TrackingStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code metrics/*}: histories in pages, and sampled histories for charts. */
public final class MetricRoutes implements RouteGroup {
    /** What MLflow appends to a schema check's message. */
    private static final String SEE_DOCS = " See the API docs for more information about request parameters.";

    private final TrackingStore store;

    public MetricRoutes(TrackingStore store) {
        this.store = store;
    }

    @Override
    public void register(Api api) {
        api.get("metrics/get-history", this::history)
                .get("metrics/get-history-bulk-interval", this::bulkInterval);
    }

    /**
     * get-history. The rule, for every client: a request without a page token whose max_results
     * is absent or 25,000 gets the whole history in one answer, streamed page by page from the
     * store, never held whole in memory; as MLflow 2.x servers answer, and what the official
     * Java client (2.17, which asks with max_results=25000 and cannot join pages) needs. A
     * request with a page token, or a smaller max_results, gets pages of that size with
     * next_page_token, as MLflow 3 servers page. More than 25,000 is refused.
     */
    private Object history(ApiRequest req) {
        String runId = RunRoutes.runId(req);
        String key = req.requiredString("metric_key");
        int max = req.intOr("max_results", Limits.MAX_HISTORY_PAGE);
        if (max < 1 || max > Limits.MAX_HISTORY_PAGE) {
            throw LabbookException.invalid("max_results must be between 1 and %d, got %d", Limits.MAX_HISTORY_PAGE, max);
        }
        String token = req.string("page_token");
        // the first page is read before anything is written, so an unknown run is still a 404
        var page = store.getMetricHistory(runId, key, max, token == null || token.isEmpty() ? null : token);
        if ((token == null || token.isEmpty()) && max == Limits.MAX_HISTORY_PAGE && page.nextPageToken() != null) {
            return (Api.Streamed) out -> writeWholeHistory(out, runId, key, page);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metrics", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /** Writes {@code {"metrics": [...]}} with every point, one store page at a time. */
    private void writeWholeHistory(OutputStream out, String runId, String key, Page<Metric> first) throws IOException {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("metrics");
            Page<Metric> page = first;
            while (true) {
                for (Metric m : page.items()) {
                    g.writeObject(m);
                }
                g.flush();
                if (page.nextPageToken() == null) {
                    break;
                }
                page = store.getMetricHistory(runId, key, Limits.MAX_HISTORY_PAGE, page.nextPageToken());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /**
     * MLflow's checks and messages, in its order (handlers.py
     * {@code get_metric_history_bulk_interval_handler}): run_ids (1 to 100), metric_key,
     * max_results (1 to 2500, default 2500), then start_step and end_step, both or neither. Each
     * run gets at most max_results points: MLflow's own sampler may add each run's last step
     * beyond that (max_results + 1 points); Labbook's min/max sampler keeps the ends within it.
     */
    private Object bulkInterval(ApiRequest req) {
        List<String> runIds = req.strings("run_ids");
        if (runIds.isEmpty()) {
            throw ApiRequest.missing("run_ids");
        }
        if (runIds.size() > Limits.MAX_BULK_INTERVAL_RUNS) {
            throw LabbookException.invalid("GetMetricHistoryBulkInterval request must specify at most %d run_ids. "
                    + "Received %d run_ids." + SEE_DOCS, Limits.MAX_BULK_INTERVAL_RUNS, runIds.size());
        }
        String key = req.requiredString("metric_key");
        Long start = req.optLong("start_step");
        Long end = req.optLong("end_step");
        Long asked = req.optLong("max_results");
        int max = asked == null ? Limits.MAX_BULK_INTERVAL_RESULTS : (int) Math.max(Math.min(asked, Integer.MAX_VALUE), -1);
        if (max < 1 || max > Limits.MAX_BULK_INTERVAL_RESULTS) {
            throw LabbookException.invalid("max_results must be between 1 and %d." + SEE_DOCS, Limits.MAX_BULK_INTERVAL_RESULTS);
        }
        if ((start == null) != (end == null)) {
            throw LabbookException.invalid("If either start step or end step are specified, both must be specified.");
        }
        if (start != null && start > end) {
            throw LabbookException.invalid("end_step must be greater than start_step. Found start_step=%d and end_step=%d.",
                    start, end);
        }
        // the sampler keeps a window's first and last point, so it is asked for 2 at least
        List<MetricWithRunId> sampled = store.getMetricHistoryBulkInterval(runIds, key, start, end, Math.max(2, max));
        return Map.of("metrics", atMostPerRun(sampled, max));
    }

    /** The points, keeping no more than {@code max} of any one run. */
    static List<MetricWithRunId> atMostPerRun(List<MetricWithRunId> points, int max) {
        Map<String, Integer> counts = new HashMap<>();
        List<MetricWithRunId> out = new ArrayList<>(points.size());
        for (MetricWithRunId p : points) {
            if (counts.merge(p.runId(), 1, Integer::sum) <= max) {
                out.add(p);
            }
        }
        return out;
    }
}
