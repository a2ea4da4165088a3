package dev.labbook.store.jdbc;

import dev.labbook.core.metrics.Downsampler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the same points as {@link Downsampler#downsample} for a step window of a series, reading
 * block summaries instead of every point: the window's first and last point by index seeks, then
 * each block wholly inside one bucket contributes its summary's candidates (see
 * {@link BucketPicker}); a block that holds the window's first or last point or straddles a bucket
 * edge contributes its chunks the same way, and only the chunks that do are read point by point.
 * A million-point chart of 500 buckets costs some 8,000 block rows and 10,000 points instead of a
 * million points.
 */
final class BlockSampler {
    private final Connection c;
    private final long seriesId;
    private PointKey first;
    private PointKey last;
    private double firstStep;
    private double scale;
    private int buckets;
    private BucketPicker picker;
    private PreparedStatement rawPoints;
    private PointKey pendingFrom;
    private PointKey pendingTo;

    private BlockSampler(Connection c, long seriesId) {
        this.c = c;
        this.seriesId = seriesId;
    }

    /**
     * The sampled points of the steps [startStep, endStep], in key order; or null when the blocks
     * do not cover the window as they must (points written around the store), so that the caller
     * samples every point instead.
     */
    static List<PointKey> sample(Connection c, long seriesId, long startStep, long endStep, int maxPoints)
            throws SQLException {
        if (startStep > endStep) {
            return List.of();
        }
        List<PointKey> head = PointRangeDao.pointsInSteps(c, seriesId, startStep, endStep, maxPoints + 1, false);
        if (head.size() <= maxPoints) {
            return head;
        }
        BlockSampler s = new BlockSampler(c, seriesId);
        s.first = head.get(0);
        s.last = PointRangeDao.pointsInSteps(c, seriesId, startStep, endStep, 1, true).get(0);
        s.buckets = Downsampler.bucketCount(maxPoints);
        List<PointKey> out = new ArrayList<>(2 + 2 * s.buckets);
        out.add(s.first);
        if (s.buckets > 0) {
            try (PreparedStatement raw = PointRangeDao.preparePoints(c)) {
                s.rawPoints = raw;
                if (!s.interior(startStep, endStep, out)) {
                    return null;
                }
            }
        }
        out.add(s.last);
        return out;
    }

    /** Appends the picks of every bucket between the first and the last point. */
    private boolean interior(long startStep, long endStep, List<PointKey> out) throws SQLException {
        firstStep = first.step();
        scale = Downsampler.bucketScale(first.step(), last.step(), buckets);
        picker = new BucketPicker(out);
        List<Block> blocks = MetricBlockDao.window(c, seriesId, startStep, endStep);
        int i = 0;
        while (i < blocks.size() && blocks.get(i).span().last().before(first)) {
            i++;
        }
        int j = blocks.size();
        while (j > i && last.before(blocks.get(j - 1).span().first())) {
            j--;
        }
        if (i >= j || !blocks.get(i).span().spans(first) || !blocks.get(j - 1).span().spans(last)) {
            return false;
        }
        for (int k = i; k < j; k++) {
            Span s = blocks.get(k).span();
            if (k > i && !blocks.get(k - 1).span().last().before(s.first())) {
                return false; // overlapping blocks
            }
            int bucket = bucket(s.first());
            if (k != i && k != j - 1 && bucket == bucket(s.last())) {
                summary(s, bucket);
                continue;
            }
            // the window's first or last point is inside, or a bucket edge is: look at the chunks
            for (Span chunk : blocks.get(k).chunks()) {
                if (chunk.last().before(first) || last.before(chunk.first())) {
                    continue;
                }
                int b = bucket(chunk.first());
                if (chunk.spans(first) || chunk.spans(last) || b != bucket(chunk.last())) {
                    later(first.before(chunk.first()) ? chunk.first() : first, chunk.last().before(last) ? chunk.last() : last);
                } else {
                    summary(chunk, b);
                }
            }
        }
        readPending();
        picker.flush();
        return true;
    }

    /**
     * Notes points to read one by one; ranges that follow one another are read in one statement,
     * when a summary comes next or at the end.
     */
    private void later(PointKey from, PointKey to) {
        pendingFrom = pendingFrom == null ? from : pendingFrom;
        pendingTo = to;
    }

    private void summary(Span s, int bucket) throws SQLException {
        readPending();
        picker.add(s, bucket);
    }

    private void readPending() throws SQLException {
        if (pendingFrom != null) {
            raw(pendingFrom, pendingTo);
            pendingFrom = null;
            pendingTo = null;
        }
    }

    /** Feeds the points from {@code from} to {@code to}, leaving out the window's first and last. */
    private void raw(PointKey from, PointKey to) throws SQLException {
        PointRangeDao.points(rawPoints, seriesId, from, to, p -> {
            if (!p.equals(first) && !p.equals(last)) {
                picker.add(p, bucket(p));
            }
        });
    }

    private int bucket(PointKey p) {
        return Downsampler.bucketOf(p.step(), firstStep, scale, buckets);
    }
}
