package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Keeps {@code metric_blocks} in step with {@code metric_points} inside a write transaction. The
 * blocks of a series cover its points in key order without gaps or overlaps, each holding at most
 * {@value Block#POINTS} consecutive points; the last one, while it fills, is kept apart (see the
 * V3 migration).
 *
 * <p>Points logged in order (the usual case: each after the series' last point) only extend the
 * open block (read along with the series ids), and a full block moves to the others: one write
 * of the open block per series and batch, one insert per block filled. A point logged before the series' last point is inserted on its own,
 * so that a point already stored (a replay) is told apart and changes nothing, and the blocks
 * around the new ones are rebuilt from their points: a chunk is a run of consecutive points, so
 * a point in the middle shifts every chunk after it.
 *
 * <p>A writer lives for one transaction and keeps no block between transactions: the open and
 * last full blocks it extends are read in the same transaction, under the locks that
 * {@link MetricDao#insert} holds, so two replicas appending to one series take turns and each
 * extends the blocks the other committed.
 */
final class BlockWriter {
    private final Connection c;
    private PreparedStatement inserts;
    private PreparedStatement tails;
    private PreparedStatement single;

    BlockWriter(Connection c) {
        this.c = c;
    }

    /**
     * Summarizes the new points {@code keys[from, to)} of one series, sorted and distinct, whose
     * open block is {@code tail} and last full block {@code lastFull} (either null when it has
     * none). The points that do not come after the series' last stored point are inserted here;
     * the rest, from the returned index on, are new for certain and the caller inserts them (in
     * bulk).
     */
    int write(long seriesId, Block tail, Block lastFull, PointKey[] keys, int from, int to) throws SQLException {
        if (from >= to) {
            return to;
        }
        Block last = tail != null ? tail : lastFull;
        int append = from;
        if (last != null) {
            while (append < to && !last.span().last().before(keys[append])) {
                append++;
            }
            if (append > from) {
                insertWithin(seriesId, keys, from, append);
                tail = MetricBlockDao.tail(c, seriesId);
            }
        }
        Block.Builder open = tail != null ? new Block.Builder(tail) : new Block.Builder();
        for (int i = append; i < to; i++) {
            open.add(keys[i]);
            if (open.count() >= Block.POINTS) {
                queueFull(seriesId, open.build());
                open = new Block.Builder();
            }
        }
        if (open.count() > 0) {
            tails = tails != null ? tails : MetricBlockDao.prepareTails(c);
            MetricBlockDao.addTail(tails, seriesId, open.build());
        } else if (tail != null) {
            MetricBlockDao.deleteTail(c, seriesId); // it filled up and moved to the full blocks
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
            single = PointRangeDao.prepareInsertPoint(c);
        }
        Block stored = null;
        PointKey lo = null;
        PointKey hi = null;
        PointKey next = null;
        for (int i = from; i < to; i++) {
            PointKey p = keys[i];
            if (!PointRangeDao.insertPoint(single, seriesId, p)) {
                continue; // already stored: the blocks already hold it
            }
            if (stored != null && (next == null || p.before(next))) {
                lo = p.before(lo) ? p : lo;
                hi = hi.before(p) ? p : hi;
                continue;
            }
            if (stored != null) {
                replace(seriesId, stored, lo, hi);
            }
            stored = MetricBlockDao.startingAtOrBefore(c, seriesId, p);
            stored = stored != null ? stored : MetricBlockDao.first(c, seriesId);
            if (stored == null) {
                throw new IllegalStateException("Metric series " + seriesId + " has points after its last block but no blocks");
            }
            Span block = stored.span();
            lo = p.before(block.first()) ? p : block.first();
            hi = block.last().before(p) ? p : block.last();
            Block after = MetricBlockDao.startingAfter(c, seriesId, block.first());
            next = after == null ? null : after.span().first();
        }
        if (stored != null) {
            replace(seriesId, stored, lo, hi);
        }
    }

    /** Replaces a stored block by blocks rebuilt from the points from {@code lo} to {@code hi}. */
    private void replace(long seriesId, Block stored, PointKey lo, PointKey hi) throws SQLException {
        MetricBlockDao.delete(c, seriesId, stored);
        rebuild(seriesId, lo, hi);
    }

    /**
     * Builds the blocks of the points from {@code from} to {@code to} (both null for the whole
     * series) out of the points themselves, in blocks of nearly equal size; the caller has deleted
     * the blocks they replace.
     */
    void rebuild(long seriesId, PointKey from, PointKey to) throws SQLException {
        long n = PointRangeDao.countPoints(c, seriesId, from, to);
        if (n == 0) {
            return;
        }
        long blocks = (n + Block.POINTS - 1) / Block.POINTS;
        long[] seen = {0};
        long[] emitted = {0};
        Block.Builder[] open = {new Block.Builder()};
        PointRangeDao.points(c, seriesId, from, to, p -> {
            open[0].add(p);
            seen[0]++;
            // block k ends after point ceil((k + 1) * n / blocks): sizes differ by one at most
            if (seen[0] == ((emitted[0] + 1) * n + blocks - 1) / blocks) {
                queueFull(seriesId, open[0].build());
                open[0] = new Block.Builder();
                emitted[0]++;
            }
        });
        if (open[0].count() > 0) {
            queueFull(seriesId, open[0].build()); // not reached: the count was read in the same transaction
        }
        flush();
    }

    /** Queues the insert of a block into {@code metric_blocks}. */
    private void queueFull(long seriesId, Block b) throws SQLException {
        inserts = inserts != null ? inserts : MetricBlockDao.prepareInsert(c);
        MetricBlockDao.addInsert(inserts, seriesId, b);
    }

    /** Writes the queued blocks. */
    void flush() throws SQLException {
        if (inserts != null) {
            inserts.executeBatch();
        }
        if (tails != null) {
            tails.executeBatch();
        }
    }
}
