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

    /** True when {@code p} lies between the first and the last point, both included. */
    boolean spans(PointKey p) {
        return !p.before(first) && !last.before(p);
    }
}
