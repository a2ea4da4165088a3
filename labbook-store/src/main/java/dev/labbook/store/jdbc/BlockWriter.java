package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Keeps {@code metric_blocks} in step with {@code metric_points} inside a write transaction. The
 * blocks of a series cover its points in key order without gaps or overlaps, each holding at most
 * {@value Block#POINTS} consecutive points.
 *
 * <p>Points logged in order (the usual case: each after the series' last point) only extend the
 * last block (read along with the series ids) and open new ones: one update or insert per block
 * touched. A point logged before the series' last point is inserted on its own,
 * so that a point already stored (a replay) is told apart and changes nothing, and the blocks
 * around the new ones are rebuilt from their points: a chunk is a run of consecutive points, so
 * a point in the middle shifts every chunk after it.
 */
final class BlockWriter implements AutoCloseable {
    private final Connection c;
    private PreparedStatement inserts;
    private PreparedStatement updates;
    private PreparedStatement single;

    BlockWriter(Connection c) {
        this.c = c;
    }

    /**
     * Summarizes the new points {@code keys[from, to)} of one series, sorted and distinct, whose
     * last block is {@code tail} (null when it has none). The points that do not come after the
     * series' last stored point are inserted here; the rest, from the returned index on, are new
     * for certain and the caller inserts them (in bulk).
     */
    int write(long seriesId, Block tail, PointKey[] keys, int from, int to) throws SQLException {
        if (from >= to) {
            return to;
        }
        int append = from;
        if (tail != null) {
            while (append < to && !tail.span().last().before(keys[append])) {
                append++;
            }
            if (append > from) {
                insertWithin(seriesId, keys, from, append);
                tail = MetricBlockDao.last(c, seriesId);
            }
        }
        boolean continued = tail != null && tail.span().count() < Block.POINTS;
        Block.Builder open = continued ? new Block.Builder(tail) : new Block.Builder();
        for (int i = append; i < to; i++) {
            open.add(keys[i]);
            if (open.count() >= Block.POINTS) {
                queue(seriesId, open.build(), continued);
                continued = false;
                open = new Block.Builder();
            }
        }
        if (open.count() > 0) {
            queue(seriesId, open.build(), continued);
        }
        return append;
    }

    /**
     * Inserts points that fall within the series' stored range, one by one, and rebuilds each
     * block that gets new ones, from its first to its last point including the new ones: a new
     * point belongs to the block whose range (up to the next block's first point) holds it, or to
     * the first block when it comes before every block.
     */
    private void insertWithin(long seriesId, PointKey[] keys, int from, int to) throws SQLException {
        if (single == null) {
            single = MetricBlockDao.prepareInsertPoint(c);
        }
        PointKey storedFirst = null;
        PointKey lo = null;
        PointKey hi = null;
        PointKey next = null;
        for (int i = from; i < to; i++) {
            PointKey p = keys[i];
            if (!MetricBlockDao.insertPoint(single, seriesId, p)) {
                continue; // already stored: the blocks already hold it
            }
            if (storedFirst != null && (next == null || p.before(next))) {
                lo = p.before(lo) ? p : lo;
                hi = hi.before(p) ? p : hi;
                continue;
            }
            if (storedFirst != null) {
                replace(seriesId, storedFirst, lo, hi);
            }
            Block b = MetricBlockDao.startingAtOrBefore(c, seriesId, p);
            b = b != null ? b : MetricBlockDao.first(c, seriesId);
            Span block = b != null ? b.span() : new Span(p, p, 1, null, null, null);
            storedFirst = block.first();
            lo = p.before(block.first()) ? p : block.first();
            hi = block.last().before(p) ? p : block.last();
            Block after = MetricBlockDao.startingAfter(c, seriesId, block.first());
            next = after == null ? null : after.span().first();
        }
        if (storedFirst != null) {
            replace(seriesId, storedFirst, lo, hi);
        }
    }

    /** Replaces the block stored at {@code storedFirst} by blocks rebuilt from the points from {@code lo} to {@code hi}. */
    private void replace(long seriesId, PointKey storedFirst, PointKey lo, PointKey hi) throws SQLException {
        MetricBlockDao.delete(c, seriesId, storedFirst);
        rebuild(seriesId, lo, hi);
    }

    /**
     * Builds the blocks of the points from {@code from} to {@code to} (both null for the whole
     * series) out of the points themselves, in blocks of nearly equal size; the caller has deleted
     * the blocks they replace.
     */
    void rebuild(long seriesId, PointKey from, PointKey to) throws SQLException {
        long n = MetricBlockDao.countPoints(c, seriesId, from, to);
        if (n == 0) {
            return;
        }
        long blocks = (n + Block.POINTS - 1) / Block.POINTS;
        long[] seen = {0};
        long[] emitted = {0};
        Block.Builder[] open = {new Block.Builder()};
        MetricBlockDao.points(c, seriesId, from, to, p -> {
            open[0].add(p);
            seen[0]++;
            // block k ends after point ceil((k + 1) * n / blocks): sizes differ by one at most
            if (seen[0] == ((emitted[0] + 1) * n + blocks - 1) / blocks) {
                queue(seriesId, open[0].build(), false);
                open[0] = new Block.Builder();
                emitted[0]++;
            }
        });
        if (open[0].count() > 0) {
            queue(seriesId, open[0].build(), false); // not reached: the count was read in the same transaction
        }
        flush();
    }

    /** Queues the write of a block: new, or in place of the stored block with the same first point. */
    private void queue(long seriesId, Block b, boolean replacesStored) throws SQLException {
        if (replacesStored) {
            updates = updates != null ? updates : MetricBlockDao.prepareUpdate(c);
            MetricBlockDao.addUpdate(updates, seriesId, b);
        } else {
            inserts = inserts != null ? inserts : MetricBlockDao.prepareInsert(c);
            MetricBlockDao.addInsert(inserts, seriesId, b);
        }
    }

    /** Writes the queued blocks. */
    void flush() throws SQLException {
        if (updates != null) {
            updates.executeBatch();
        }
        if (inserts != null) {
            inserts.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {inserts, updates, single}) {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
