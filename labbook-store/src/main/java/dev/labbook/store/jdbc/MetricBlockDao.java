package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a series' blocks: its full ones in {@code metric_blocks} (one {@link Block} per
 * row, keyed by its series and first point) and its open last one in {@code metric_block_tails}.
 * Plain JDBC: these run inside the ingestion hot path and per chart request.
 */
final class MetricBlockDao {
    private static final String KEY = "first_step, first_ts, first_value, first_nan";
    private static final String DESC = "first_step DESC, first_ts DESC, first_value DESC, first_nan DESC";
    private static final String INSERT = "INSERT INTO metric_blocks (series_id, " + KEY + ", summary) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String PUT_TAIL = "INSERT INTO metric_block_tails (series_id, summary) VALUES (?, ?)"
            + " ON CONFLICT (series_id) DO UPDATE SET summary = excluded.summary";

    private MetricBlockDao() {}

    /**
     * Two columns of a query over {@code metric_series s}: the summary of the series' open block
     * and that of its last full block, each NULL when there is none: what a log-batch needs to
     * know of each series, read along with the series ids.
     */
    static final String TAIL_AND_LAST_FULL = "(SELECT t.summary FROM metric_block_tails t WHERE t.series_id = s.series_id),"
            + " (SELECT b.summary FROM metric_blocks b WHERE b.series_id = s.series_id ORDER BY " + DESC + " LIMIT 1)";

    /** The open block of a series, or null. */
    static Block tail(Connection c, long seriesId) throws SQLException {
        return one(c, "SELECT summary FROM metric_block_tails WHERE series_id = ?", seriesId, null);
    }

    /** The last block of a series (its open one, else its last full one), or null when it has none. */
    static Block last(Connection c, long seriesId) throws SQLException {
        Block tail = tail(c, seriesId);
        return tail != null ? tail : one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? ORDER BY " + DESC + " LIMIT 1",
                seriesId, null);
    }

    /** The first block of a series, or null when it has none. */
    static Block first(Connection c, long seriesId) throws SQLException {
        Block b = one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? ORDER BY " + KEY + " LIMIT 1", seriesId, null);
        return b != null ? b : tail(c, seriesId);
    }

    /** The last block starting at or before {@code p}, or null when every block starts after it. */
    static Block startingAtOrBefore(Connection c, long seriesId, PointKey p) throws SQLException {
        Block tail = tail(c, seriesId);
        if (tail != null && !p.before(tail.span().first())) {
            return tail; // the open block comes after every other
        }
        return one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") <= (?, ?, ?, ?)"
                + " ORDER BY " + DESC + " LIMIT 1", seriesId, p);
    }

    /** The first block starting after {@code p}, or null. */
    static Block startingAfter(Connection c, long seriesId, PointKey p) throws SQLException {
        Block b = one(c, "SELECT summary FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") > (?, ?, ?, ?)"
                + " ORDER BY " + KEY + " LIMIT 1", seriesId, p);
        if (b != null) {
            return b;
        }
        Block tail = tail(c, seriesId);
        return tail != null && p.before(tail.span().first()) ? tail : null;
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

    /** A statement that {@link #addInsert inserts} full blocks in a JDBC batch (cached: not to be closed). */
    static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return StatementCache.get(c, INSERT);
    }

    /** Adds the insert of a block into {@code metric_blocks} to the batch of {@code ps}. */
    static void addInsert(PreparedStatement ps, long seriesId, Block b) throws SQLException {
        ps.setLong(1, seriesId);
        bindKey(ps, 2, b.span().first());
        ps.setBytes(6, b.encode());
        ps.addBatch();
    }

    /** A statement that {@link #addTail sets the open block} of series in a JDBC batch (cached: not to be closed). */
    static PreparedStatement prepareTails(Connection c) throws SQLException {
        return StatementCache.get(c, PUT_TAIL);
    }

    /** Adds setting the open block of a series to the batch of {@code ps}. */
    static void addTail(PreparedStatement ps, long seriesId, Block b) throws SQLException {
        ps.setLong(1, seriesId);
        ps.setBytes(2, b.encode());
        ps.addBatch();
    }

    static void deleteTail(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_block_tails WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            ps.executeUpdate();
        }
    }

    /** Deletes a stored block, full or open. */
    static void delete(Connection c, long seriesId, Block b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM metric_blocks WHERE series_id = ? AND (" + KEY + ") = (?, ?, ?, ?)")) {
            ps.setLong(1, seriesId);
            bindKey(ps, 2, b.span().first());
            if (ps.executeUpdate() == 0) {
                deleteTail(c, seriesId);
            }
        }
    }

    static void deleteAll(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_blocks WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            ps.executeUpdate();
        }
        deleteTail(c, seriesId);
    }

    /**
     * The blocks that may hold points with steps in [startStep, endStep], in order: those starting
     * in the range, and before them the blocks starting at the last first step below it (one of
     * them may run into the range), then the open block when it starts by the end of the range.
     * A few leading blocks may end before the range.
     */
    static List<Block> window(Connection c, long seriesId, long startStep, long endStep) throws SQLException {
        Block tail = tail(c, seriesId);
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
        if (tail != null && tail.span().first().step() < startStep) {
            from = Math.max(from, tail.span().first().step());
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
        if (tail != null && tail.span().first().step() <= endStep) {
            out.add(tail);
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

    static int bindKey(PreparedStatement ps, int i, PointKey p) throws SQLException {
        ps.setLong(i, p.step());
        ps.setLong(i + 1, p.timestamp());
        ps.setDouble(i + 2, p.value());
        ps.setInt(i + 3, p.nan() ? 1 : 0);
        return i + 4;
    }
}
