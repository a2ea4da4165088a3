package dev.labbook.server.dashboard;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.validation.Limits;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiHandler;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.RunQuery;
import dev.labbook.store.TrackingStore;
import dev.labbook.store.jdbc.DashboardQueries;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the dashboard needs beyond MLflow's API, under {@code /api/2.0/labbook/}: run counts and
 * last activity per experiment, and the runs table of an experiment in a compact columnar form
 * (one array per run) so that tens of thousands of runs load in one quick request.
 */
public final class DashboardApi {
    /** The prefix of Labbook's own endpoints. */
    public static final String PREFIX = "/api/2.0/labbook/";
    /** The most runs one table request returns. */
    static final int MAX_TABLE_RUNS = Limits.MAX_RESULTS_SEARCH_RUNS;
    /** The run attributes every table row starts with, in this order. */
    static final List<String> ATTRIBUTES = List.of(
            "run_id", "run_name", "status", "start_time", "end_time", "user_id", "lifecycle_stage", "experiment_id");

    private final TrackingStore store;
    private final DashboardQueries queries;

    public DashboardApi(TrackingStore store, DashboardQueries queries) {
        this.store = store;
        this.queries = queries;
    }

    public void register(RoutesConfig routes) {
        get(routes, "experiments/activity", req -> Map.of("experiments", queries.experimentActivity()));
        get(routes, "runs/table", this::table);
        routes.post(PREFIX + "runs/table", ctx -> Api.writeJson(ctx, 200, table(ApiRequest.of(ctx))));
    }

    private static void get(RoutesConfig routes, String endpoint, ApiHandler handler) {
        routes.get(PREFIX + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
    }

    /**
     * The runs of the given experiments matching an MLflow filter, newest first: the attribute
     * names, the param, metric and (non-system) tag keys seen, and one row per run holding the
     * attributes, then each param value, each latest metric value and each tag value (null when
     * the run lacks it). An invalid filter is answered with {@code {"filter_error": message}} and
     * status 200, so the dashboard can show it inline without the browser logging a failed request.
     */
    private Object table(ApiRequest req) {
        List<String> experimentIds = new ArrayList<>(req.strings("experiment_ids"));
        String one = req.string("experiment_id");
        if (one != null && !one.isEmpty()) {
            experimentIds.add(one);
        }
        if (experimentIds.isEmpty()) {
            throw LabbookException.invalid("Missing value for required parameter 'experiment_id'.");
        }
        int max = Math.max(1, Math.min(req.intOr("max_results", MAX_TABLE_RUNS), MAX_TABLE_RUNS));
        String filter = req.string("filter");
        RunQuery query = new RunQuery(experimentIds, filter,
                req.enumOr("run_view_type", ViewType.class, ViewType.ACTIVE_ONLY), max, req.strings("order_by"), null);
        dev.labbook.core.model.Page<Run> page;
        try {
            page = store.searchRuns(query);
        } catch (LabbookException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE || filter == null || filter.isBlank()) {
                throw e;
            }
            // shown next to the search box; an HTTP error would also land in the browser console
            return Map.of("filter_error", e.getMessage());
        }
        List<Run> runs = page.items();
        TreeSet<String> paramKeys = new TreeSet<>();
        TreeSet<String> metricKeys = new TreeSet<>();
        TreeSet<String> tagKeys = new TreeSet<>();
        for (Run r : runs) {
            r.data().params().forEach(p -> paramKeys.add(p.key()));
            r.data().metrics().forEach(m -> metricKeys.add(m.key()));
            for (RunTag t : r.data().tags()) {
                if (!t.key().startsWith("mlflow.") && !t.key().startsWith("labbook.")) {
                    tagKeys.add(t.key());
                }
            }
        }
        Map<String, Integer> paramIndex = index(paramKeys, ATTRIBUTES.size());
        Map<String, Integer> metricIndex = index(metricKeys, ATTRIBUTES.size() + paramKeys.size());
        Map<String, Integer> tagIndex = index(tagKeys, ATTRIBUTES.size() + paramKeys.size() + metricKeys.size());
        int width = ATTRIBUTES.size() + paramKeys.size() + metricKeys.size() + tagKeys.size();
        List<Object[]> rows = new ArrayList<>(runs.size());
        for (Run r : runs) {
            Object[] row = new Object[width];
            RunInfo i = r.info();
            row[0] = i.runId();
            row[1] = i.runName();
            row[2] = i.status().name();
            row[3] = i.startTime();
            row[4] = i.endTime();
            row[5] = i.userId();
            row[6] = i.lifecycleStage().toString();
            row[7] = i.experimentId();
            for (Param p : r.data().params()) {
                row[paramIndex.get(p.key())] = p.value();
            }
            for (Metric m : r.data().metrics()) {
                row[metricIndex.get(m.key())] = m.value();
            }
            for (RunTag t : r.data().tags()) {
                Integer k = tagIndex.get(t.key());
                if (k != null) {
                    row[k] = t.value();
                }
            }
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", ATTRIBUTES);
        out.put("params", paramKeys);
        out.put("metrics", metricKeys);
        out.put("tags", tagKeys);
        out.put("rows", rows);
        out.put("truncated", page.nextPageToken() != null);
        return out;
    }

    private static Map<String, Integer> index(TreeSet<String> keys, int offset) {
        Map<String, Integer> out = new HashMap<>();
        int k = offset;
        for (String key : keys) {
            out.put(key, k++);
        }
        return out;
    }
}
