package dev.labbook.store.jdbc;

import dev.labbook.core.metrics.Downsampler;
import dev.labbook.core.model.MetricWithRunId;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Samples metric series for charts: see {@link Downsampler} for which points are kept. */
final class BulkIntervalDao {
    private BulkIntervalDao() {}

    static Series load(Handle h, long seriesId) {
        int n = h.createQuery("SELECT COUNT(*) FROM metric_points WHERE series_id = ?").bind(0, seriesId).mapTo(Integer.class).one();
        long[] steps = new long[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        int[] i = {0};
        h.createQuery("SELECT step, timestamp, value, is_nan FROM metric_points WHERE series_id = ? ORDER BY step, timestamp, value, is_nan")
                .bind(0, seriesId)
                .setFetchSize(10_000)
                .scanResultSet((supplier, ctx) -> {
                    var rs = supplier.get();
                    while (rs.next() && i[0] < n) {
                        int k = i[0]++;
                        steps[k] = rs.getLong(1);
                        ts[k] = rs.getLong(2);
                        values[k] = rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3);
                    }
                    return null;
                });
        return new Series(steps, ts, values, i[0]);
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
