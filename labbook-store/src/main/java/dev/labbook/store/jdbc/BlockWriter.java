package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Keeps {@code metric_blocks} in step with {@code metric_points} inside a write transaction. The
 * blocks of a series cover its points in key order without gaps or overlaps, each holding about
 * {@value #BLOCK_POINTS} consecutive points (at most {@value #MAX_BLOCK_POINTS}).
 *
 * <p>Points logged in order (the usual case: each after the series' last point) only extend the
 * last block and open new ones: one indexed read of the last block per series and batch, and
 * one upsert per block touched. A point logged before the series' last point is inserted on its
 * own, so that a point already stored (a replay) is told apart and changes nothing, and joins the
 * block whose range it falls into; a block grown past its maximum is rebuilt from its points.
 */
final class BlockWriter implements AutoCloseable {
    /**
     * Points per block. A chart reads every block of its window plus the raw points of the
     * blocks that straddle a bucket edge, so the cost is about points/N + buckets*N; 128 balances
     * the two for a million points and 500 buckets, and costs a log-batch of 1000 in-order points
     * of one series about 8 block rows.
     */
    static final int BLOCK_POINTS = 128;
    /** A block that out-of-order points grow beyond this is split. */
    static final int MAX_BLOCK_POINTS = 2 * BLOCK_POINTS;

    private final Connection c;
    private PreparedStatement upserts;
    private PreparedStatement single;
    private PreparedStatement last;

    BlockWriter(Connection c) {
        this.c = c;
    }

    /**
     * Summarizes the new points {@code keys[from, to)} of one series, sorted and distinct. The
     * points that do not come after the series' last stored point are inserted here; the rest,
     * from the returned index on, are new for certain and the caller inserts them (in bulk).
     */
    int write(long seriesId, PointKey[] keys, int from, int to) throws SQLException {
        if (from >= to) {
            return to;
        }
        if (last == null) {
            last = MetricBlockDao.prepareLast(c);
        }
        Block tail = MetricBlockDao.last(last, seriesId);
        int append = from;
        if (tail != null) {
            while (append < to && !tail.last().before(keys[append])) {
                append++;
            }
            if (append > from) {
                insertWithin(seriesId, keys, from, append);
                tail = MetricBlockDao.last(last, seriesId);
            }
        }
        Block open = tail != null && tail.count() < BLOCK_POINTS ? tail : null;
        for (int i = append; i < to; i++) {
            open = open == null ? Block.of(keys[i]) : open.plus(keys[i]);
            if (open.count() >= BLOCK_POINTS) {
                queue(seriesId, open);
                open = null;
            }
        }
        if (open != null) {
            queue(seriesId, open);
        }
        return append;
    }

    /**
     * Inserts points that fall within the series' stored range, one by one, and adds each new one
     * to the block whose range (up to the next block's first point) holds it, or to the first
     * block when it comes before every block.
     */
    private void insertWithin(long seriesId, PointKey[] keys, int from, int to) throws SQLException {
        if (single == null) {
            single = MetricBlockDao.prepareInsertPoint(c);
        }
        Block block = null;
        PointKey storedFirst = null;
        PointKey next = null;
        for (int i = from; i < to; i++) {
            PointKey p = keys[i];
            if (!MetricBlockDao.insertPoint(single, seriesId, p)) {
                continue; // already stored: the blocks already count it
            }
            if (block == null || (next != null && !p.before(next))) {
                if (block != null) {
                    store(seriesId, block, storedFirst);
                }
                block = MetricBlockDao.startingAtOrBefore(c, seriesId, p);
                if (block == null) {
                    block = MetricBlockDao.first(c, seriesId);
                }
                if (block == null) {
                    block = Block.of(p);
                    storedFirst = null;
                    next = null;
                    continue;
                }
                storedFirst = block.first();
                Block after = MetricBlockDao.startingAfter(c, seriesId, block.first());
                next = after == null ? null : after.first();
            }
            block = block.plus(p);
        }
        if (block != null) {
            store(seriesId, block, storedFirst);
        }
    }

    /** Writes a block changed by out-of-order points now, replacing its row, split when too big. */
    private void store(long seriesId, Block b, PointKey storedFirst) throws SQLException {
        if (storedFirst != null && (!storedFirst.equals(b.first()) || b.count() > MAX_BLOCK_POINTS)) {
            MetricBlockDao.delete(c, seriesId, storedFirst);
        }
        if (b.count() > MAX_BLOCK_POINTS) {
            rebuild(seriesId, b.first(), b.last());
        } else {
            queue(seriesId, b);
        }
        flush();
    }

    /**
     * Rebuilds the blocks of the points from {@code from} to {@code to} (either null for the whole
     * series) out of the points themselves; the caller has deleted the blocks they replace.
     */
    void rebuild(long seriesId, PointKey from, PointKey to) throws SQLException {
        Block[] open = new Block[1];
        MetricBlockDao.points(c, seriesId, from, to, p -> {
            open[0] = open[0] == null ? Block.of(p) : open[0].plus(p);
            if (open[0].count() >= BLOCK_POINTS) {
                queue(seriesId, open[0]);
                open[0] = null;
            }
        });
        if (open[0] != null) {
            queue(seriesId, open[0]);
        }
        flush();
    }

    private void queue(long seriesId, Block b) throws SQLException {
        if (upserts == null) {
            upserts = MetricBlockDao.prepareUpsert(c);
        }
        MetricBlockDao.addUpsert(upserts, seriesId, b);
    }

    /** Writes the queued blocks. */
    void flush() throws SQLException {
        if (upserts != null) {
            upserts.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {upserts, single, last}) {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
