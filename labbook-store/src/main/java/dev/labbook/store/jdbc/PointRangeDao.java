package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and single inserts of {@code metric_points} by key range, for the blocks: what the chart
 * sampler reads point by point, and what the block writer rebuilds blocks from. Plain JDBC.
 */
final class PointRangeDao {
    private static final String POINT = "(step, timestamp, value, is_nan)";
    // named apart from "value": PostgreSQL names a CASE column after its ELSE column, and an ORDER BY
    // of that name would then sort by the CASE (NaN points, NULL there, last)
    private static final String POINT_COLUMNS = "step, timestamp, CASE WHEN is_nan = 1 THEN NULL ELSE value END AS chart_value";

    private PointRangeDao() {}

    /** The number of points from {@code from} to {@code to} (both included, both null for all). */
    static long countPoints(Connection c, long seriesId, PointKey from, PointKey to) throws SQLException {
        String sql = pointsSql(from != null, to != null).replace("SELECT " + POINT_COLUMNS, "SELECT COUNT(*)")
                .replace(" ORDER BY step, timestamp, value, is_nan", "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            int i = 2;
            if (from != null) {
                i = MetricBlockDao.bindKey(ps, i, from);
            }
            if (to != null) {
                MetricBlockDao.bindKey(ps, i, to);
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
        MetricBlockDao.bindKey(ps, 2, p);
        return ps.executeUpdate() == 1;
    }

    /** The statement {@link #insertPoint} runs (cached: not to be closed). */
    static PreparedStatement prepareInsertPoint(Connection c) throws SQLException {
        return StatementCache.get(c, MetricDao.insertPoints(1));
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
            i = MetricBlockDao.bindKey(ps, i, from);
        }
        if (to != null) {
            MetricBlockDao.bindKey(ps, i, to);
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

}
