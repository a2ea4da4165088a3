package dev.labbook.core.metrics;

import java.util.Arrays;

/**
 * Picks the points of one metric series to draw in a chart of limited width, for MLflow's
 * {@code get-history-bulk-interval}. Min/max bucketing rather than striding: a chart must show
 * a divergence spike even when it lasts a single step, and striding would skip it.
 *
 * <p>Everything works on primitive arrays in one pass, so a million points take a few
 * milliseconds and produce no garbage beyond the result.
 */
public final class Downsampler {
    private Downsampler() {}

    /**
     * The indices, ascending and distinct, of at most {@code maxPoints} points of the window
     * {@code [from, to)} to send. When the window holds at most {@code maxPoints} points all
     * of them are returned. Otherwise the first and last point of the window are always kept,
     * the step range between them is cut into {@code (maxPoints - 2) / 2} buckets of equal
     * width (by step value, not by index) and each bucket keeps its minimum and its maximum
     * point. NaN values are passed over when choosing the minimum and maximum, but a bucket of
     * only NaN points keeps its first one, so the chart still shows the gap. Infinite values
     * are ordinary values: they are the extremes.
     *
     * @param steps the steps of the series, ascending; several points may share a step
     * @param values the values, parallel to {@code steps}
     * @param from the first index of the window
     * @param to one past the last index of the window
     * @param maxPoints the most points to return, at least 2
     * @throws IllegalArgumentException if the window lies outside the arrays or maxPoints &lt; 2
     */
    public static int[] downsample(long[] steps, double[] values, int from, int to, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, was " + maxPoints);
        }
        if (from < 0 || from > to || to > steps.length || to > values.length) {
            throw new IllegalArgumentException("window [" + from + ", " + to + ") is outside the "
                    + Math.min(steps.length, values.length) + " points");
        }
        int n = to - from;
        if (n <= maxPoints) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = from + i;
            }
            return all;
        }
        int buckets = bucketCount(maxPoints);
        int[] out = new int[2 + 2 * buckets];
        int count = 0;
        out[count++] = from;
        int last = to - 1;
        if (buckets > 0) {
            count = bucketExtremes(steps, values, from + 1, last, buckets, out, count);
        }
        out[count++] = last;
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    /**
     * Appends, bucket by bucket, the minimum and maximum of the interior points {@code [lo, hi)}.
     * The bucket of a point never decreases along the array (steps ascend), so one pass that
     * flushes a bucket when the next begins yields indices already in ascending order.
     */
    private static int bucketExtremes(long[] steps, double[] values, int lo, int hi, int buckets,
            int[] out, int count) {
        double first = steps[lo - 1];
        double scale = bucketScale(steps[lo - 1], steps[hi], buckets);
        int current = -1;
        int minIdx = -1;
        int maxIdx = -1;
        int nanIdx = -1;
        double min = 0;
        double max = 0;
        for (int i = lo; i < hi; i++) {
            int b = bucketOf(steps[i], first, scale, buckets);
            if (b != current) {
                count = flush(out, count, minIdx, maxIdx, nanIdx);
                current = b;
                minIdx = -1;
                maxIdx = -1;
                nanIdx = -1;
            }
            double v = values[i];
            if (v != v) { // NaN
                if (nanIdx < 0) {
                    nanIdx = i;
                }
            } else if (minIdx < 0) {
                minIdx = i;
                maxIdx = i;
                min = v;
                max = v;
            } else if (v < min) {
                minIdx = i;
                min = v;
            } else if (v > max) {
                maxIdx = i;
                max = v;
            }
        }
        return flush(out, count, minIdx, maxIdx, nanIdx);
    }

    /** The number of buckets {@link #downsample} cuts a window into when it keeps at most {@code maxPoints}. */
    public static int bucketCount(int maxPoints) {
        return (maxPoints - 2) / 2;
    }

    /**
     * Buckets per step for a window whose first point is at {@code firstStep} and last point at
     * {@code lastStep}: the factor {@link #bucketOf} multiplies by. Zero when all steps are equal
     * (ties only), so that one bucket holds everything.
     */
    public static double bucketScale(long firstStep, long lastStep, int buckets) {
        double span = (double) lastStep - (double) firstStep;
        return span > 0 ? buckets / span : 0;
    }

    /**
     * The bucket of an interior point at {@code step}, exactly as {@link #downsample} computes it:
     * anyone who must pick the same points (a sampler that reads summaries instead of every point)
     * calls this rather than repeating the floating-point arithmetic. Never decreases as the step
     * grows, so a stretch of points whose first and last steps share a bucket lies wholly inside it.
     *
     * @param first the window's first step, as a double
     * @param scale from {@link #bucketScale}
     */
    public static int bucketOf(long step, double first, double scale, int buckets) {
        int b = (int) ((step - first) * scale);
        return b >= buckets ? buckets - 1 : b; // the last step lands exactly on the upper edge
    }

    private static int flush(int[] out, int count, int minIdx, int maxIdx, int nanIdx) {
        if (minIdx < 0) {
            if (nanIdx >= 0) {
                out[count++] = nanIdx;
            }
            return count;
        }
        out[count++] = Math.min(minIdx, maxIdx);
        if (minIdx != maxIdx) {
            out[count++] = Math.max(minIdx, maxIdx);
        }
        return count;
    }

    /**
     * The first index in {@code [0, size)} whose step is at least {@code step}, or {@code size}
     * if there is none: where a window starting at {@code step} begins.
     */
    public static int lowerBound(long[] steps, int size, long step) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps[mid] < step) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The first index in {@code [0, size)} whose step is greater than {@code step}, or
     * {@code size}: where a window ending at {@code step} (inclusive) ends, ties included.
     */
    public static int upperBound(long[] steps, int size, long step) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps[mid] <= step) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
