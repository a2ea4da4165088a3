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
 * {@link BucketPicker}), and only the blocks that hold the window's first or last point or
 * straddle a bucket edge are read point by point. A million-point series costs a few thousand
 * block rows and a few tens of thousands of points instead of a million points.
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
        List<PointKey> head = MetricBlockDao.pointsInSteps(c, seriesId, startStep, endStep, maxPoints + 1, false);
        if (head.size() <= maxPoints) {
            return head;
        }
        BlockSampler s = new BlockSampler(c, seriesId);
        s.first = head.get(0);
        s.last = MetricBlockDao.pointsInSteps(c, seriesId, startStep, endStep, 1, true).get(0);
        s.buckets = Downsampler.bucketCount(maxPoints);
        List<PointKey> out = new ArrayList<>(2 + 2 * s.buckets);
        out.add(s.first);
        if (s.buckets > 0) {
            try (PreparedStatement raw = MetricBlockDao.preparePoints(c)) {
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
        while (i < blocks.size() && blocks.get(i).last().before(first)) {
            i++;
        }
        int j = blocks.size();
        while (j > i && last.before(blocks.get(j - 1).first())) {
            j--;
        }
        if (i >= j || !blocks.get(i).spans(first) || !blocks.get(j - 1).spans(last)) {
            return false;
        }
        PointKey rawFrom = null;
        PointKey rawTo = null;
        for (int k = i; k < j; k++) {
            Block b = blocks.get(k);
            if (k > i && !blocks.get(k - 1).last().before(b.first())) {
                return false; // overlapping blocks
            }
            int bucket = bucket(b.first());
            if (k == i || k == j - 1 || bucket != bucket(b.last())) {
                // read point by point; neighbouring such blocks in one range
                rawFrom = rawFrom != null ? rawFrom : (k == i ? first : b.first());
                rawTo = k == j - 1 ? last : b.last();
            } else {
                if (rawFrom != null) {
                    raw(rawFrom, rawTo);
                    rawFrom = null;
                }
                picker.add(b, bucket);
            }
        }
        if (rawFrom != null) {
            raw(rawFrom, rawTo);
        }
        picker.flush();
        return true;
    }

    /** Feeds the points from {@code from} to {@code to}, leaving out the window's first and last. */
    private void raw(PointKey from, PointKey to) throws SQLException {
        MetricBlockDao.points(rawPoints, seriesId, from, to, p -> {
            if (!p.equals(first) && !p.equals(last)) {
                picker.add(p, bucket(p));
            }
        });
    }

    private int bucket(PointKey p) {
        return Downsampler.bucketOf(p.step(), firstStep, scale, buckets);
    }
}
