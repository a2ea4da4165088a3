package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code metric_blocks} (one {@link Block} per row, keyed by its series and first
 * point) and the raw point reads that go with it. Plain JDBC: these run inside the ingestion hot
 * path and per chart request.
 */
final class MetricBlockDao {
    private static final String KEY = "first_step, first_ts, first_value, first_nan";
    private static final String INSERT = "INSERT INTO metric_blocks (series_id, " + KEY + ", summary) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE metric_blocks SET summary = ?"
            + " WHERE series_id = ? AND first_step = ? AND first_ts = ? AND first_value = ? AND first_nan = ?";
    private static final String POINT = "(step, timestamp, value, is_nan)";
    private static final String POINT_COLUMNS = "step, timestamp, CASE WHEN is_nan = 1 THEN NULL ELSE value END";

    private MetricBlockDao() {}

    /** A column of a query over {@code metric_series s}: the summary of the series' last block, or NULL. */
    static final String LAST_OF_SERIES = "(SELECT b.summary FROM metric_blocks b WHERE b.series_id = s.series_id"
            + " ORDER BY b.first_step DESC, b.first_ts DESC, b.first_value DESC, b.first_nan DESC LIMIT 1)";

    /** The last block of a series, or null when it has none. */
    static Block last(Connection c, long seriesId) throws SQLException {
        return one(c, "SELECT summary FROM metric_blocks WHERE series_id = ?"
                + " ORDER BY first_step DESC, first_ts DESC, first_value DESC, first_nan DESC LIMIT 1", seriesId, null);
    }

    /** The first block of a series, or null when it has none. */
    static Block first(Connection c, long seriesId) throws SQLException {
        return one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? ORDER BY " + KEY + " LIMIT 1", seriesId, null);
    }

    /** The last block starting at or before {@code p}, or null when every block starts after it. */
    static Block startingAtOrBefore(Connection c, long seriesId, PointKey p) throws SQLException {
        return one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") <= (?, ?, ?, ?)"
                + " ORDER BY first_step DESC, first_ts DESC, first_value DESC, first_nan DESC LIMIT 1", seriesId, p);
    }

    /** The first block starting after {@code p}, or null. */
    static Block startingAfter(Connection c, long seriesId, PointKey p) throws SQLException {
        return one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") > (?, ?, ?, ?)"
                + " ORDER BY " + KEY + " LIMIT 1", seriesId, p);
    }

    private static Block one(Connection c, String sql, long seriesId, PointKey p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            if (p != null) {
                bindKey(ps, 2, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Block.decode(rs.getBytes(1)) : null;
            }
        }
    }

    /** A statement that {@link #addInsert inserts} blocks in a JDBC batch. */
    static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return c.prepareStatement(INSERT);
    }

    /** Adds the insert of a new block to the batch of {@code ps}. */
    static void addInsert(PreparedStatement ps, long seriesId, Block b) throws SQLException {
        ps.setLong(1, seriesId);
        bindKey(ps, 2, b.span().first());
        ps.setBytes(6, b.encode());
        ps.addBatch();
    }

    /**
     * A statement that {@link #addUpdate rewrites} blocks in a JDBC batch: for the last block of a
     * series that grew, a plain update by key costs SQLite less than an upsert.
     */
    static PreparedStatement prepareUpdate(Connection c) throws SQLException {
        return c.prepareStatement(UPDATE);
    }

    /** Adds the rewrite of a stored block (same first point) to the batch of {@code ps}. */
    static void addUpdate(PreparedStatement ps, long seriesId, Block b) throws SQLException {
        ps.setBytes(1, b.encode());
        ps.setLong(2, seriesId);
        bindKey(ps, 3, b.span().first());
        ps.addBatch();
    }

    static void delete(Connection c, long seriesId, PointKey first) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") = (?, ?, ?, ?)")) {
            ps.setLong(1, seriesId);
            bindKey(ps, 2, first);
            ps.executeUpdate();
        }
    }

    static void deleteAll(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_blocks WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            ps.executeUpdate();
        }
    }

    /**
     * The blocks that may hold points with steps in [startStep, endStep], in order: those starting
     * in the range, and before them the blocks starting at the last first step below it (one of
     * them may run into the range). A few leading blocks may end before the range.
     */
    static List<Block> window(Connection c, long seriesId, long startStep, long endStep) throws SQLException {
        long from = startStep;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(first_step) FROM metric_blocks WHERE series_id = ? AND first_step < ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, startStep);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long s = rs.getLong(1);
                    if (!rs.wasNull()) {
                        from = s;
                    }
                }
            }
        }
        List<Block> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT summary FROM metric_blocks WHERE series_id = ?"
                + " AND first_step >= ? AND first_step <= ? ORDER BY " + KEY)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, from);
            ps.setLong(3, endStep);
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Block.decode(rs.getBytes(1)));
                }
            }
        }
        return out;
    }

    /** Is the series marked as logged before blocks existed (its blocks are to be built)? */
    static boolean stale(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM metric_blocks_stale WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void clearStale(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_blocks_stale WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ raw points

    /** The number of points from {@code from} to {@code to} (both included, both null for all). */
    static long countPoints(Connection c, long seriesId, PointKey from, PointKey to) throws SQLException {
        String sql = pointsSql(from != null, to != null).replace("SELECT " + POINT_COLUMNS, "SELECT COUNT(*)")
                .replace(" ORDER BY step, timestamp, value, is_nan", "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            int i = 2;
            if (from != null) {
                i = bindKey(ps, i, from);
            }
            if (to != null) {
                bindKey(ps, i, to);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts one point; true when it was new (an identical point is stored once). */
    static boolean insertPoint(PreparedStatement ps, long seriesId, PointKey p) throws SQLException {
        ps.setLong(1, seriesId);
        bindKey(ps, 2, p);
        return ps.executeUpdate() == 1;
    }

    /** The statement {@link #insertPoint} runs. */
    static PreparedStatement prepareInsertPoint(Connection c) throws SQLException {
        return c.prepareStatement(MetricDao.insertPoints(1));
    }

    /**
     * Calls {@code each} for the points of a series from {@code from} to {@code to} (both included,
     * either null for unbounded), in key order.
     */
    static void points(Connection c, long seriesId, PointKey from, PointKey to, PointSink each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(pointsSql(from != null, to != null))) {
            points(ps, seriesId, from, to, each);
        }
    }

    /**
     * The statement of {@link #points(PreparedStatement, long, PointKey, PointKey, PointSink)}:
     * a sampler reads hundreds of short ranges, and preparing costs as much as reading a few points.
     */
    static PreparedStatement preparePoints(Connection c) throws SQLException {
        return c.prepareStatement(pointsSql(true, true));
    }

    /** Like {@link #points(Connection, long, PointKey, PointKey, PointSink)}, bounded, on a prepared statement. */
    static void points(PreparedStatement ps, long seriesId, PointKey from, PointKey to, PointSink each) throws SQLException {
        ps.setLong(1, seriesId);
        int i = 2;
        if (from != null) {
            i = bindKey(ps, i, from);
        }
        if (to != null) {
            bindKey(ps, i, to);
        }
        ps.setFetchSize(4096);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                each.accept(read(rs));
            }
        }
    }

    private static String pointsSql(boolean from, boolean to) {
        return "SELECT " + POINT_COLUMNS + " FROM metric_points WHERE series_id = ?"
                + (from ? " AND " + POINT + " >= (?, ?, ?, ?)" : "")
                + (to ? " AND " + POINT + " <= (?, ?, ?, ?)" : "")
                + " ORDER BY step, timestamp, value, is_nan";
    }

    /**
     * The first {@code limit} points with steps in [startStep, endStep] in key order, or the last
     * one when {@code fromEnd}.
     */
    static List<PointKey> pointsInSteps(Connection c, long seriesId, long startStep, long endStep, int limit, boolean fromEnd)
            throws SQLException {
        String dir = fromEnd ? " DESC" : "";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + POINT_COLUMNS + " FROM metric_points"
                + " WHERE series_id = ? AND step >= ? AND step <= ?"
                + " ORDER BY step" + dir + ", timestamp" + dir + ", value" + dir + ", is_nan" + dir + " LIMIT ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, startStep);
            ps.setLong(3, endStep);
            ps.setInt(4, limit);
            ps.setFetchSize(Math.min(limit, 4096));
            List<PointKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** Receives points read in key order. */
    @FunctionalInterface
    interface PointSink {
        void accept(PointKey p) throws SQLException;
    }

    /**
     * A point from the three {@link #POINT_COLUMNS}: a NaN point comes back as a NULL value, so
     * only a value reading 0.0 needs the extra check that tells 0.0 from NULL.
     */
    private static PointKey read(ResultSet rs) throws SQLException {
        long step = rs.getLong(1);
        long ts = rs.getLong(2);
        double v = rs.getDouble(3);
        boolean nan = v == 0 && rs.wasNull();
        return new PointKey(step, ts, v, nan);
    }

    private static int bindKey(PreparedStatement ps, int i, PointKey p) throws SQLException {
        ps.setLong(i, p.step());
        ps.setLong(i + 1, p.timestamp());
        ps.setDouble(i + 2, p.value());
        ps.setInt(i + 3, p.nan() ? 1 : 0);
        return i + 4;
    }
}
