package dev.labbook.store.jdbc;

import dev.labbook.core.metrics.Downsampler;
import dev.labbook.core.model.MetricWithRunId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Samples metric series for charts: see {@link Downsampler} for which points are kept. */
final class BulkIntervalDao {
    private BulkIntervalDao() {}

    /**
     * Reads a whole series into columns, in the primary key's order. One pass, no COUNT first
     * (the columns grow as needed), and three columns per row instead of four: with sqlite-jdbc
     * each column read is a JNI call under a lock, which is most of the cost of a cold load
     * (~125 ns per value, so 1M points x 4 columns was ~0.5 s of ~0.8 s). A NaN point, stored
     * as value 0 with is_nan 1, comes back as a NULL value; only a value reading 0.0 needs the
     * extra check that tells 0.0 from NULL.
     */
    static Series load(Handle h, long seriesId) {
        try (PreparedStatement ps = h.getConnection().prepareStatement(
                "SELECT step, timestamp, CASE WHEN is_nan = 1 THEN NULL ELSE value END FROM metric_points"
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
            if (n < cap) {
                steps = Arrays.copyOf(steps, n);
                ts = Arrays.copyOf(ts, n);
                values = Arrays.copyOf(values, n);
            }
            return new Series(steps, ts, values, n);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read metric series " + seriesId, e);
        }
    }

    /** The sampled points of one series within [startStep, endStep] (nulls meaning unbounded). */
    static List<MetricWithRunId> sample(Series s, String runId, String key, Long startStep, Long endStep, int maxResults) {
        int from = startStep == null ? 0 : Downsampler.lowerBound(s.steps(), s.size(), startStep);
        int to = endStep == null ? s.size()
                : (endStep == Long.MAX_VALUE ? s.size() : Downsampler.lowerBound(s.steps(), s.size(), endStep + 1));
        if (from >= to) {
            return List.of();
        }
        int[] idx = Downsampler.downsample(s.steps(), s.values(), from, to, maxResults);
        List<MetricWithRunId> out = new ArrayList<>(idx.length);
        for (int k : idx) {
            out.add(new MetricWithRunId(key, s.values()[k], s.timestamps()[k], s.steps()[k], runId));
        }
        return out;
    }
}
