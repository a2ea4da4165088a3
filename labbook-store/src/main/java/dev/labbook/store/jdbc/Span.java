package dev.labbook.store.jdbc;

/**
 * The summary of a stretch of consecutive points of a metric history (in key order): its first
 * and last point, how many points it holds, and its earliest minimum, earliest maximum and
 * earliest NaN point. Those three are exactly the candidates
 * {@link dev.labbook.core.metrics.Downsampler} can pick from the stretch when all of it falls into
 * one bucket; ties go to the earliest point, as there.
 *
 * @param min the earliest point with the smallest non-NaN value, or null when all are NaN
 * @param max the earliest point with the largest non-NaN value, or null when all are NaN
 * @param firstNan the earliest NaN point, or null when there is none
 */
record Span(PointKey first, PointKey last, long count, PointKey min, PointKey max, PointKey firstNan) {

    /** A span of one point. */
    static Span of(PointKey p) {
        return p.nan() ? new Span(p, p, 1, null, null, p) : new Span(p, p, 1, p, p, null);
    }

    /** This span followed by {@code p}, which comes after its last point. */
    Span append(PointKey p) {
        if (p.nan()) {
            return new Span(first, p, count + 1, min, max, firstNan == null ? p : firstNan);
        }
        // strict comparisons: on a tie the earlier point stays
        boolean newMin = min == null || p.value() < min.value();
        boolean newMax = max == null || p.value() > max.value();
        return new Span(first, p, count + 1, newMin ? p : min, newMax ? p : max, firstNan);
    }

    /** True when {@code p} lies between the first and the last point, both included. */
    boolean spans(PointKey p) {
        return !p.before(first) && !last.before(p);
    }
}
