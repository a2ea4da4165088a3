package dev.labbook.store.jdbc;

import java.nio.ByteBuffer;

/**
 * The summary of one block: a stretch of consecutive points of a metric history (in key order)
 * with what a chart sampler needs to know without reading them: its first and last point, how
 * many points it holds, and its earliest minimum, earliest maximum and earliest NaN point. Those
 * three are exactly the candidates {@link dev.labbook.core.metrics.Downsampler} can pick from the
 * block when the whole block falls into one bucket; ties go to the earliest point, as there.
 *
 * @param min the earliest point with the smallest non-NaN value, or null when all are NaN
 * @param max the earliest point with the largest non-NaN value, or null when all are NaN
 * @param firstNan the earliest NaN point, or null when there is none
 */
record Block(PointKey first, PointKey last, long count, PointKey min, PointKey max, PointKey firstNan) {

    private static final int FIRST_NAN = 1;
    private static final int LAST_NAN = 2;
    private static final int HAS_MIN_MAX = 4;
    private static final int HAS_NAN = 8;

    /** A block of one point. */
    static Block of(PointKey p) {
        return p.nan() ? new Block(p, p, 1, null, null, p) : new Block(p, p, 1, p, p, null);
    }

    /** This block with one more point, which it does not hold yet, anywhere in its order. */
    Block plus(PointKey p) {
        PointKey f = p.before(first) ? p : first;
        PointKey l = last.before(p) ? p : last;
        if (p.nan()) {
            return new Block(f, l, count + 1, min, max, firstNan == null || p.before(firstNan) ? p : firstNan);
        }
        boolean newMin = min == null || p.value() < min.value() || (p.value() == min.value() && p.before(min));
        boolean newMax = max == null || p.value() > max.value() || (p.value() == max.value() && p.before(max));
        return new Block(f, l, count + 1, newMin ? p : min, newMax ? p : max, firstNan);
    }

    /** True when {@code p} lies between the first and the last point, both included. */
    boolean spans(PointKey p) {
        return !p.before(first) && !last.before(p);
    }

    /**
     * The summary as stored in {@code metric_blocks.summary}: one blob rather than a dozen
     * columns, because the sampler reads thousands of blocks per chart and sqlite-jdbc pays a
     * native call per column read.
     */
    byte[] encode() {
        int flags = (first.nan() ? FIRST_NAN : 0) | (last.nan() ? LAST_NAN : 0)
                | (min != null ? HAS_MIN_MAX : 0) | (firstNan != null ? HAS_NAN : 0);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 48 + (min != null ? 48 : 0) + (firstNan != null ? 16 : 0));
        b.put((byte) flags).putLong(count);
        put(b, first);
        put(b, last);
        if (min != null) {
            put(b, min);
            put(b, max);
        }
        if (firstNan != null) {
            b.putLong(firstNan.step()).putLong(firstNan.timestamp());
        }
        return b.array();
    }

    /** Reads a summary written by {@link #encode}. */
    static Block decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int flags = b.get();
        long count = b.getLong();
        PointKey first = get(b, (flags & FIRST_NAN) != 0);
        PointKey last = get(b, (flags & LAST_NAN) != 0);
        PointKey min = null;
        PointKey max = null;
        if ((flags & HAS_MIN_MAX) != 0) {
            min = get(b, false);
            max = get(b, false);
        }
        PointKey nan = (flags & HAS_NAN) != 0 ? new PointKey(b.getLong(), b.getLong(), 0.0, true) : null;
        return new Block(first, last, count, min, max, nan);
    }

    private static void put(ByteBuffer b, PointKey p) {
        b.putLong(p.step()).putLong(p.timestamp()).putDouble(p.value());
    }

    private static PointKey get(ByteBuffer b, boolean nan) {
        return new PointKey(b.getLong(), b.getLong(), b.getDouble(), nan);
    }
}
