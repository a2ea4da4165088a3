package dev.labbook.store.jdbc;

import dev.labbook.core.metrics.Downsampler;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Samples metric series for charts: see {@link Downsampler} for which points are kept. Reads
 * block summaries ({@link BlockSampler}); a series whose blocks do not cover its points (written
 * around the store) is sampled from every point instead, with the same result.
 */
final class BulkIntervalDao {
    private BulkIntervalDao() {}

    /** The sampled points of a series within the steps [startStep, endStep], in key order. */
    static List<PointKey> sample(Handle h, long seriesId, long startStep, long endStep, int maxPoints) {
        try {
            List<PointKey> fast = BlockSampler.sample(h.getConnection(), seriesId, startStep, endStep, maxPoints);
            return fast != null ? fast : sampleAll(h, seriesId, startStep, endStep, maxPoints);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read metric series " + seriesId, e);
        }
    }

    /** Samples by reading every point of the series: the reference the block sampler matches. */
    static List<PointKey> sampleAll(Handle h, long seriesId, long startStep, long endStep, int maxPoints) {
        return sample(load(h, seriesId), startStep, endStep, maxPoints);
    }

    /** The points {@link Downsampler} keeps of the steps [startStep, endStep] of a whole series. */
    static List<PointKey> sample(Series s, long startStep, long endStep, int maxPoints) {
        int from = Downsampler.lowerBound(s.steps(), s.size(), startStep);
        int to = Downsampler.upperBound(s.steps(), s.size(), endStep);
        if (from >= to) {
            return List.of();
        }
        int[] idx = Downsampler.downsample(s.steps(), s.values(), from, to, maxPoints);
        List<PointKey> out = new ArrayList<>(idx.length);
        for (int k : idx) {
            out.add(PointKey.of(s.steps()[k], s.timestamps()[k], s.values()[k]));
        }
        return out;
    }

    /**
     * Reads a whole series into columns, in the primary key's order. One pass, no COUNT first
     * (the columns grow as needed), and three columns per row instead of four: with sqlite-jdbc
     * each column read is a JNI call under a lock. A NaN point, stored as value 0 with is_nan 1,
     * comes back as a NULL value; only a value reading 0.0 needs the extra check that tells 0.0
     * from NULL.
     */
    static Series load(Handle h, long seriesId) {
        try (PreparedStatement ps = h.getConnection().prepareStatement(
                "SELECT step, timestamp, CASE WHEN is_nan = 1 THEN NULL ELSE value END AS chart_value FROM metric_points"
                        + " WHERE series_id = ? ORDER BY step, timestamp, value, is_nan")) {
            ps.setLong(1, seriesId);
            ps.setFetchSize(10_000);
            int cap = 1024;
            long[] steps = new long[cap];
            long[] ts = new long[cap];
            double[] values = new double[cap];
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == cap) {
                        cap = cap * 2;
                        steps = Arrays.copyOf(steps, cap);
                        ts = Arrays.copyOf(ts, cap);
                        values = Arrays.copyOf(values, cap);
                    }
                    steps[n] = rs.getLong(1);
                    ts[n] = rs.getLong(2);
                    double v = rs.getDouble(3);
                    values[n] = v == 0 && rs.wasNull() ? Double.NaN : v;
                    n++;
                }
            }
            return new Series(steps, ts, values, n);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read metric series " + seriesId, e);
        }
    }

    /** True when some series still waits for its blocks to be built (see {@link #buildStale}). */
    static boolean anyStale(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM metric_blocks_stale)").mapTo(Boolean.class).one();
    }

    /** True when the series was logged before blocks existed and has none built yet. */
    static boolean stale(Handle h, long seriesId) {
        try {
            return MetricBlockDao.stale(h.getConnection(), seriesId);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read metric series " + seriesId, e);
        }
    }

    /** Builds the blocks of a stale series from its points, inside a write transaction. */
    static void buildStale(Handle h, long seriesId) {
        try {
            var c = h.getConnection();
            if (!MetricBlockDao.stale(c, seriesId)) {
                return; // built meanwhile
            }
            MetricBlockDao.deleteAll(c, seriesId);
            new BlockWriter(c).rebuild(seriesId, null, null);
            MetricBlockDao.clearStale(c, seriesId);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not summarize metric series " + seriesId, e);
        }
    }
}
