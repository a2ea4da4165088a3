package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes metric points and keeps each series' latest point. This is the ingestion hot path, so
 * points go in through one plain JDBC batch per request rather than through Jdbi's binding.
 */
final class MetricDao {
    private static final String INSERT_POINT =
            "INSERT INTO metric_points (series_id, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    // Replaces the stored latest point only by a later one: (step, timestamp, value) is the
    // order MLflow uses to pick a metric's latest value.
    private static final String UPSERT_LATEST =
            "INSERT INTO metric_series (run_pk, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_pk, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp,"
                    + " value = excluded.value, is_nan = excluded.is_nan"
                    + " WHERE (excluded.step, excluded.timestamp, excluded.value) > (metric_series.step, metric_series.timestamp, metric_series.value)";

    private MetricDao() {}

    /** Inserts the points and returns the ids of the series they touched. */
    static List<Long> insert(Handle h, long runPk, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return List.of();
        }
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric m : metrics) {
            latest.merge(m.key(), m, (a, b) -> later(b, a) ? b : a);
        }
        Connection c = h.getConnection();
        try {
            try (PreparedStatement ps = c.prepareStatement(UPSERT_LATEST)) {
                for (Metric m : latest.values()) {
                    boolean nan = Double.isNaN(m.value());
                    ps.setLong(1, runPk);
                    ps.setString(2, m.key());
                    ps.setLong(3, m.step());
                    ps.setLong(4, m.timestamp());
                    ps.setDouble(5, nan ? 0 : m.value());
                    ps.setInt(6, nan ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Map<String, Long> ids = seriesIds(h, runPk, latest.keySet());
            try (PreparedStatement ps = c.prepareStatement(INSERT_POINT)) {
                for (Metric m : metrics) {
                    boolean nan = Double.isNaN(m.value());
                    ps.setLong(1, ids.get(m.key()));
                    ps.setLong(2, m.step());
                    ps.setLong(3, m.timestamp());
                    ps.setDouble(4, nan ? 0 : m.value());
                    ps.setInt(5, nan ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return new ArrayList<>(ids.values());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store metrics", e);
        }
    }

    private static boolean later(Metric a, Metric b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return Double.compare(a.value(), b.value()) > 0;
    }

    static Map<String, Long> seriesIds(Handle h, long runPk, java.util.Collection<String> keys) {
        Map<String, Long> ids = new HashMap<>();
        h.createQuery("SELECT key, series_id FROM metric_series WHERE run_pk = :pk AND key IN (<keys>)")
                .bind("pk", runPk).bindList("keys", new ArrayList<>(keys))
                .map((rs, ctx) -> ids.put(rs.getString(1), rs.getLong(2))).list();
        return ids;
    }

    /** The series id of a run's metric, or null if it was never logged. */
    static Long seriesId(Handle h, long runPk, String key) {
        return seriesIds(h, runPk, List.of(key)).get(key);
    }

    static double value(java.sql.ResultSet rs, int valueCol, int nanCol) throws SQLException {
        return rs.getInt(nanCol) == 1 ? Double.NaN : rs.getDouble(valueCol);
    }
}
