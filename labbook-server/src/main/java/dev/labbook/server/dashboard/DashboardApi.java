package dev.labbook.server.dashboard;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.validation.Limits;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiHandler;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.RunQuery;
import dev.labbook.store.dashboard.MetricAggregate;
import dev.labbook.store.dashboard.RunTable;
import dev.labbook.store.jdbc.DashboardQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private final DashboardQueries queries;

    public DashboardApi(DashboardQueries queries) {
        this.queries = queries;
    }

    public void register(RoutesConfig routes) {
        get(routes, "experiments/activity", req -> Map.of("experiments", queries.experimentActivity().stream()
                .filter(a -> req.visibility().experiment(a.experimentId())).toList()));
        get(routes, "runs/table", this::table);
        routes.post(PREFIX + "runs/table", ctx -> table(ctx));
        get(routes, "runs/metric-values", this::metricValues);
        routes.post(PREFIX + "runs/metric-values", ctx -> Api.writeJson(ctx, 200, metricValues(ApiRequest.of(ctx))));
    }

    /**
     * A metric's smallest or largest value, or its value at a step, for every run of the
     * experiments that logged it, as {@code {"values": {run_id: value}}}: what a runs-table column
     * other than the latest value shows. Non-finite values are the strings MLflow uses.
     */
    private Object metricValues(ApiRequest req) {
        List<Long> experimentIds = new ArrayList<>();
        List<String> given = new ArrayList<>(req.strings("experiment_ids"));
        String one = req.string("experiment_id");
        if (one != null && !one.isEmpty()) {
            given.add(one);
        }
        if (given.isEmpty()) {
            throw LabbookException.invalid("Missing value for required parameter 'experiment_id'.");
        }
        for (String id : given) {
            try {
                experimentIds.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw LabbookException.invalid("Invalid experiment id '%s'", id);
            }
        }
        String key = req.requiredString("metric_key");
        String name = req.requiredString("aggregate");
        MetricAggregate aggregate = MetricAggregate.parse(name)
                .orElseThrow(() -> LabbookException.invalid("aggregate must be min, max or step, got '%s'", name));
        Long step = req.optLong("step");
        if (aggregate == MetricAggregate.STEP && step == null) {
            throw LabbookException.invalid("Missing value for required parameter 'step' (aggregate step).");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        queries.metricValues(experimentIds, key, aggregate, step == null ? 0 : step)
                .forEach((run, v) -> values.put(run, Double.isFinite(v) ? v : (Double.isNaN(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"))));
        return Map.of("values", values);
    }

    private static void get(RoutesConfig routes, String endpoint, ApiHandler handler) {
        routes.get(PREFIX + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
    }

    private void table(Context ctx) throws Exception {
        // megabytes of JSON: compressing costs more time than it saves on a local network
        ctx.disableCompression();
        Api.writeJson(ctx, 200, table(ApiRequest.of(ctx)));
    }

    /**
     * The runs of the given experiments matching an MLflow filter, newest first (or in the given
     * order_by), as a {@link RunTable}, with {@code change_seq}, the change number the table is as
     * of. With {@code since_seq} (a previous answer's {@code change_seq}), only the matching runs
     * changed since, and in {@code changed} the ids of every run of the experiments changed since
     * (a changed run that is not among the rows no longer matches): what an open table needs to
     * stay current. An invalid filter is answered with {@code {"filter_error": message}} and
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
        RunTable table;
        try {
            table = queries.runTable(query, req.optLong("since_seq"));
        } catch (LabbookException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE || filter == null || filter.isBlank()) {
                throw e;
            }
            return Map.of("filter_error", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", table.attributes());
        out.put("params", table.params());
        out.put("metrics", table.metrics());
        out.put("tags", table.tags());
        out.put("rows", table.rows());
        out.put("truncated", table.truncated());
        out.put("change_seq", table.changeSeq());
        if (table.changed() != null) {
            out.put("changed", table.changed());
        }
        return out;
    }
}
