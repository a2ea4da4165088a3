package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
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
    /** Rows per INSERT statement: one statement binds 5 x 100 parameters (SQLite allows 32766). */
    static final int ROWS_PER_INSERT = 100;
    private static final String POINT_ROW = "(?, ?, ?, ?, ?)";
    private static final String INSERT_POINTS = insertPoints(ROWS_PER_INSERT);
    private static final String INSERT_POINTS_PG = insertPoints(Dialect.POSTGRESQL.rowsPerInsert());

    // Replaces the stored latest point only by a later one: (step, timestamp, value) is the
    // order MLflow uses to pick a metric's latest value.
    private static final String UPSERT_LATEST =
            "INSERT INTO metric_series (run_pk, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_pk, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp,"
                    + " value = excluded.value, is_nan = excluded.is_nan"
                    + " WHERE (excluded.step, excluded.timestamp, excluded.value) > (metric_series.step, metric_series.timestamp, metric_series.value)";

    private MetricDao() {}

    /** {@code INSERT INTO metric_points ... VALUES (...), (...), ...} for {@code rows} rows. */
    static String insertPoints(int rows) {
        StringBuilder sb = new StringBuilder(90 + rows * 17)
                .append("INSERT INTO metric_points (series_id, step, timestamp, value, is_nan) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append(POINT_ROW);
        }
        return sb.append(" ON CONFLICT DO NOTHING").toString();
    }

    /**
     * Inserts the points and keeps each series' latest point and blocks (see {@link BlockWriter}).
     * Safe with several writers of one series, in this process or in other replicas: the upsert
     * of the latest points comes first and locks the batch's series rows until the transaction
     * ends (on SQLite the transaction holds the database's write lock from its start), so the
     * open and last full blocks read next are the ones the previous writer committed, and the
     * blocks written here are rebuilt from exactly the committed points.
     * The points of each series go in sorted in key order, so that
     * each stretch of inserts lands on the same few B-tree pages, and {@value #ROWS_PER_INSERT}
     * rows per statement, which halves SQLite's per-row work compared with one row per batched
     * statement. An identical point twice is stored once: repeats within the batch are dropped
     * here, points already stored by the primary key (ON CONFLICT DO NOTHING).
     */
    static void insert(Handle h, long runPk, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        // by key: concurrent writers to one run lock its series rows in the same order
        Map<String, Metric> latest = new java.util.TreeMap<>();
        for (Metric m : metrics) {
            latest.merge(m.key(), m, (a, b) -> later(b, a) ? b : a);
        }
        Connection c = h.getConnection();
        try {
            boolean changed = upsertLatest(c, runPk, latest.values());
            Map<String, Long> ids = new LinkedHashMap<>();
            Map<Long, Block[]> blocks = new HashMap<>();
            seriesIds(c, runPk, latest.keySet(), ids, blocks);
            SeriesPoints points = SeriesPoints.group(metrics, ids);
            BlockWriter writer = new BlockWriter(c);
            int[] appendFrom = new int[points.seriesCount()];
            for (int s = 0; s < points.seriesCount(); s++) {
                long id = points.seriesId(s);
                Block[] tailAndLastFull = blocks.getOrDefault(id, new Block[2]);
                appendFrom[s] = writer.write(id, tailAndLastFull[0], tailAndLastFull[1], points.keys(), points.start(s), points.end(s));
            }
            insertPoints(c, Dialect.of(h), points, appendFrom);
            writer.flush();
            if (changed) {
                // what the runs table shows of this run changed; numbered last, since on PostgreSQL
                // the number's lock holds other writers until this transaction commits
                RunDao.changed(c, Dialect.of(h), runPk);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store metrics", e);
        }
    }

    /** Stores each series' latest point where the new one is later; true when any was. */
    private static boolean upsertLatest(Connection c, long runPk, java.util.Collection<Metric> latest) throws SQLException {
        PreparedStatement ps = StatementCache.get(c, UPSERT_LATEST);
        for (Metric m : latest) {
            boolean nan = Double.isNaN(m.value());
            ps.setLong(1, runPk);
            ps.setString(2, m.key());
            ps.setLong(3, m.step());
            ps.setLong(4, m.timestamp());
            ps.setDouble(5, nan ? 0 : m.value());
            ps.setInt(6, nan ? 1 : 0);
            ps.addBatch();
        }
        return Arrays.stream(ps.executeBatch()).anyMatch(n -> n != 0);
    }

    /** Inserts, for each series {@code s}, its points from {@code from[s]} to its end. */
    private static void insertPoints(Connection c, Dialect dialect, SeriesPoints points, int[] from) throws SQLException {
        int per = dialect.rowsPerInsert();
        int n = 0;
        for (int s = 0; s < points.seriesCount(); s++) {
            n += points.end(s) - from[s];
        }
        long[] seriesOf = new long[n];
        PointKey[] rows = new PointKey[n];
        int at = 0;
        for (int s = 0; s < points.seriesCount(); s++) {
            for (int i = from[s]; i < points.end(s); i++) {
                seriesOf[at] = points.seriesId(s);
                rows[at++] = points.keys()[i];
            }
        }
        int full = n / per;
        if (full > 0) {
            PreparedStatement ps = StatementCache.get(c, per == ROWS_PER_INSERT ? INSERT_POINTS : INSERT_POINTS_PG);
            for (int chunk = 0; chunk < full; chunk++) {
                bindPoints(ps, rows, seriesOf, chunk * per, per);
                ps.executeUpdate();
            }
        }
        int rest = n - full * per;
        if (rest > 0) {
            PreparedStatement ps = StatementCache.get(c, insertPoints(rest));
            bindPoints(ps, rows, seriesOf, full * per, rest);
            ps.executeUpdate();
        }
    }

    private static void bindPoints(PreparedStatement ps, PointKey[] points, long[] seriesOf, int from, int count)
            throws SQLException {
        int p = 1;
        for (int i = from; i < from + count; i++) {
            PointKey k = points[i];
            ps.setLong(p++, seriesOf[i]);
            ps.setLong(p++, k.step());
            ps.setLong(p++, k.timestamp());
            ps.setDouble(p++, k.value());
            ps.setInt(p++, k.nan() ? 1 : 0);
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
        try {
            Map<String, Long> ids = new LinkedHashMap<>();
            seriesIds(h.getConnection(), runPk, keys, ids, null);
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read metric series", e);
        }
    }

    /**
     * Puts the series id of each key into {@code ids}, and, when {@code blocks} is not null, the
     * open block and the last full block of each series (either null) into it: the log-batch path
     * needs both, and one statement costs less than one per series.
     */
    private static void seriesIds(Connection c, long runPk, java.util.Collection<String> keys, Map<String, Long> ids,
            Map<Long, Block[]> blocks) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT key, series_id")
                .append(blocks == null ? "" : ", " + MetricBlockDao.TAIL_AND_LAST_FULL)
                .append(" FROM metric_series s WHERE run_pk = ? AND key IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        PreparedStatement ps = StatementCache.get(c, sql.append(')').toString());
        ps.setLong(1, runPk);
        int i = 2;
        for (String k : keys) {
            ps.setString(i++, k);
        }
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getLong(2));
                if (blocks != null) {
                    byte[] tail = rs.getBytes(3);
                    byte[] lastFull = tail == null ? rs.getBytes(4) : null; // with an open block, not needed
                    blocks.put(rs.getLong(2), new Block[] {tail == null ? null : Block.decode(tail),
                            lastFull == null ? null : Block.decode(lastFull)});
                }
            }
        }
    }

    /** The series id of a run's metric, or null if it was never logged. */
    static Long seriesId(Handle h, long runPk, String key) {
        return seriesIds(h, runPk, List.of(key)).get(key);
    }

    static double value(java.sql.ResultSet rs, int valueCol, int nanCol) throws SQLException {
        return rs.getInt(nanCol) == 1 ? Double.NaN : rs.getDouble(valueCol);
    }
}
