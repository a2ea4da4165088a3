package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * MLflow 3's extra fields of metric points (dataset name and digest, logged model, run), kept
 * beside the history rather than in it: only points that carry them cost anything, and the
 * log-batch path of plain points is one scan of the batch more. A point logged with a model id
 * is also the logged model's metric (logged_model_metrics), as in MLflow 3.
 */
final class MetricDetailsDao {
    private static final String UPSERT_DETAILS = "INSERT INTO metric_point_details"
            + " (series_id, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id, run_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (series_id, step, timestamp, value, is_nan) DO UPDATE SET dataset_name = excluded.dataset_name,"
            + " dataset_digest = excluded.dataset_digest, model_id = excluded.model_id, run_id = excluded.run_id";
    private static final String UPSERT_MODEL_METRIC = "INSERT INTO logged_model_metrics"
            + " (model_pk, key, timestamp, step, run_id, dataset_name, dataset_digest, value, is_nan)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (model_pk, key, timestamp, step, run_id, dataset_name, dataset_digest)"
            + " DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan";

    private MetricDetailsDao() {}

    /**
     * Stores the details of the points of {@code metrics} that have any (call after the points
     * themselves are stored, so their series exist). A model id naming no logged model of this
     * database keeps its details but links to no model: MLflow 3 also lets it name a model
     * version, and a metric must not be refused for it.
     */
    static void insert(Handle h, RunRow run, List<Metric> metrics) {
        List<Metric> detailed = null;
        for (Metric m : metrics) {
            if (m.hasDetails()) {
                if (detailed == null) {
                    detailed = new ArrayList<>();
                }
                detailed.add(m);
            }
        }
        if (detailed == null) {
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        detailed.forEach(m -> keys.add(m.key()));
        Map<String, Long> series = MetricDao.seriesIds(h, run.runPk(), keys);
        PreparedBatch details = h.prepareBatch(UPSERT_DETAILS);
        Map<String, Long> models = new HashMap<>();
        PreparedBatch modelMetrics = h.prepareBatch(UPSERT_MODEL_METRIC);
        boolean anyModelMetric = false;
        for (Metric m : detailed) {
            boolean nan = Double.isNaN(m.value());
            details.bind(0, series.get(m.key())).bind(1, m.step()).bind(2, m.timestamp())
                    .bind(3, nan ? 0 : m.value()).bind(4, nan ? 1 : 0)
                    .bind(5, m.datasetName()).bind(6, m.datasetDigest()).bind(7, m.modelId()).bind(8, m.runId()).add();
            if (m.modelId() == null) {
                continue;
            }
            Long modelPk = models.computeIfAbsent(m.modelId(), id -> LoggedModelDao.find(h, id)
                    .map(LoggedModelRow::modelPk).orElse(-1L));
            if (modelPk < 0) {
                continue;
            }
            modelMetrics.bind(0, modelPk).bind(1, m.key()).bind(2, m.timestamp()).bind(3, m.step())
                    .bind(4, run.info().runId()) // the run it was logged to, as MLflow keeps it
                    .bind(5, nullToEmpty(m.datasetName())).bind(6, nullToEmpty(m.datasetDigest()))
                    .bind(7, nan ? 0 : m.value()).bind(8, nan ? 1 : 0).add();
            anyModelMetric = true;
        }
        details.execute();
        if (anyModelMetric) {
            modelMetrics.execute();
        }
    }

    /** The page with each point's details filled in; the same page when the series has none. */
    static Page<Metric> decorate(Handle h, long seriesId, Page<Metric> page) {
        List<Metric> points = page.items();
        if (points.isEmpty() || !any(h, seriesId)) {
            return page;
        }
        long from = points.get(0).step();
        long to = points.get(points.size() - 1).step();
        Map<String, String[]> byPoint = new HashMap<>();
        h.createQuery("SELECT step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id, run_id"
                        + " FROM metric_point_details WHERE series_id = ? AND step BETWEEN ? AND ?")
                .bind(0, seriesId).bind(1, Math.min(from, to)).bind(2, Math.max(from, to))
                .map((rs, ctx) -> byPoint.put(pointKey(rs.getLong(1), rs.getLong(2), MetricDao.value(rs, 3, 4)),
                        new String[] {rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)}))
                .list();
        if (byPoint.isEmpty()) {
            return page;
        }
        List<Metric> out = new ArrayList<>(points.size());
        for (Metric m : points) {
            String[] d = byPoint.get(pointKey(m.step(), m.timestamp(), m.value()));
            out.add(d == null ? m : m.withDetails(d[0], d[1], d[2], d[3]));
        }
        return new Page<>(out, page.nextPageToken());
    }

    /** Identifies a point of a series as metric_points' key does. */
    private static String pointKey(long step, long timestamp, double value) {
        return step + ":" + timestamp + ":" + (Double.isNaN(value) ? "NaN" : Double.toString(value));
    }

    private static boolean any(Handle h, long seriesId) {
        return h.createQuery("SELECT 1 FROM metric_point_details WHERE series_id = ? LIMIT 1")
                .bind(0, seriesId).mapTo(Integer.class).findOne().isPresent();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
