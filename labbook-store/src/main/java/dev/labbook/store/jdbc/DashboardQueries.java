package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;
import dev.labbook.store.RunQuery;
import dev.labbook.store.dashboard.ExperimentActivity;
import dev.labbook.store.dashboard.MetricAggregate;
import dev.labbook.store.dashboard.RunTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only queries the web dashboard needs beyond MLflow's API: run counts and last activity per
 * experiment, and the points a live chart has not seen yet. Shares the tracking store's database.
 */
public final class DashboardQueries {
    /** Runs table cells kept in memory: about 64 MB at most (some 40,000 runs of 20 columns). */
    private static final long CELLS_CACHE_BYTES = 64L << 20;

    private final Database db;
    private final RunTableQuery runTable;

    public DashboardQueries(Database db) {
        this.db = db;
        this.runTable = new RunTableQuery(db.dialect(), new RunCellsCache(CELLS_CACHE_BYTES));
    }

    /**
     * The runs table: the runs an MLflow search matches, in its order, with their params, latest
     * metrics and user tags in columns. The page token of the query is ignored.
     */
    public RunTable runTable(RunQuery query) {
        return runTable(query, null);
    }

    /**
     * The runs table of the runs changed since a previous table whose {@link RunTable#changeSeq}
     * was {@code changedSince} (and of the run that held that number, changed or not), or of all
     * runs when it is null; with, for the former, the ids of those runs of the experiments,
     * matching or not, so that a run which no longer matches can be dropped. Read in one
     * snapshot, so the table and its change number agree.
     */
    public RunTable runTable(RunQuery query, Long changedSince) {
        return db.snapshot(h -> runTable.table(h, query, changedSince));
    }

    /**
     * For every run of the experiments that logged metric {@code key}: its smallest or largest
     * value, or its value at {@code step} (the last logged there; runs without a point at that
     * step are left out), by run id. NaN points count only for the value at a step. Reads every
     * point of the metric's series for min and max.
     */
    public Map<String, Double> metricValues(List<Long> experimentIds, String key, MetricAggregate aggregate, long step) {
        if (experimentIds.isEmpty()) {
            return Map.of();
        }
        String from = " FROM runs r JOIN metric_series s ON s.run_pk = r.run_pk JOIN metric_points p ON p.series_id = s.series_id"
                + " WHERE r.experiment_id IN (" + SqlLists.ids(experimentIds) + ") AND s.key = :key";
        return db.read(h -> {
            Map<String, Double> out = new LinkedHashMap<>();
            if (aggregate == MetricAggregate.STEP) {
                h.createQuery("SELECT r.run_uuid, p.value, p.is_nan" + from + " AND p.step = :step ORDER BY r.run_uuid, p.timestamp")
                        .bind("key", key).bind("step", step)
                        .map((rs, ctx) -> out.put(rs.getString(1), rs.getInt(3) == 1 ? Double.NaN : rs.getDouble(2)))
                        .list();
            } else {
                String fn = aggregate == MetricAggregate.MIN ? "MIN" : "MAX";
                h.createQuery("SELECT r.run_uuid, " + fn + "(p.value)" + from + " AND p.is_nan = 0 GROUP BY r.run_uuid")
                        .bind("key", key)
                        .map((rs, ctx) -> out.put(rs.getString(1), rs.getDouble(2)))
                        .list();
            }
            return out;
        });
    }

    /** Run counts and last activity of every experiment that has active runs. */
    public List<ExperimentActivity> experimentActivity() {
        return db.read(h -> {
            Map<Long, Long> metricTimes = new HashMap<>();
            h.createQuery("SELECT r.experiment_id, MAX(m.timestamp) FROM metric_series m JOIN runs r ON r.run_pk = m.run_pk"
                            + " WHERE r.lifecycle_stage = 'active' GROUP BY r.experiment_id")
                    .map((rs, ctx) -> metricTimes.put(rs.getLong(1), rs.getLong(2)))
                    .list();
            List<ExperimentActivity> out = new ArrayList<>();
            h.createQuery("SELECT experiment_id, COUNT(*), SUM(CASE WHEN status = 'RUNNING' THEN 1 ELSE 0 END),"
                            + " MAX(CASE WHEN end_time IS NOT NULL AND end_time > start_time THEN end_time ELSE start_time END)"
                            + " FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id")
                    .map((rs, ctx) -> {
                        long id = rs.getLong(1);
                        long last = Math.max(rs.getLong(4), metricTimes.getOrDefault(id, Long.MIN_VALUE));
                        return out.add(new ExperimentActivity(Long.toString(id), rs.getLong(2), rs.getLong(3), last));
                    })
                    .list();
            return out;
        });
    }

    /**
     * The points of one metric of a run that come after (step, timestamp) in history order, at most
     * {@code limit} of them; empty when the run or the metric does not exist.
     */
    public List<Metric> pointsAfter(String runId, String key, long step, long timestamp, int limit) {
        return db.read(h -> {
            var row = RunDao.find(h, runId);
            if (row.isEmpty()) {
                return List.<Metric>of();
            }
            Long seriesId = MetricDao.seriesId(h, row.get().runPk(), key);
            if (seriesId == null) {
                return List.<Metric>of();
            }
            return h.createQuery("SELECT step, timestamp, value, is_nan FROM metric_points WHERE series_id = ?"
                            + " AND (step > ? OR (step = ? AND timestamp > ?)) ORDER BY step, timestamp LIMIT ?")
                    .bind(0, seriesId).bind(1, step).bind(2, step).bind(3, timestamp).bind(4, limit)
                    .map((rs, ctx) -> new Metric(key, rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3), rs.getLong(2), rs.getLong(1)))
                    .list();
        });
    }
}
