package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;

/**
 * A metric point as {@code metric_points} keys it: (step, timestamp, value, is_nan), compared in
 * that table's primary-key order, which is the order of a metric's history. NaN is value 0 with
 * {@code nan} set, as stored; -0.0 is 0.0, because SQLite compares them equal (an identical point
 * is stored once either way) and reads both back as 0.0.
 *
 * @param value the stored value: 0 for NaN, never -0.0
 */
record PointKey(long step, long timestamp, double value, boolean nan) implements Comparable<PointKey> {

    /** The key of a point as it is logged. */
    static PointKey of(long step, long timestamp, double value) {
        if (Double.isNaN(value)) {
            return new PointKey(step, timestamp, 0.0, true);
        }
        return new PointKey(step, timestamp, value == 0.0 ? 0.0 : value, false);
    }

    static PointKey of(Metric m) {
        return of(m.step(), m.timestamp(), m.value());
    }

    /** The value a chart shows: NaN for a NaN point. */
    double chartValue() {
        return nan ? Double.NaN : value;
    }

    @Override
    public int compareTo(PointKey o) {
        int c = Long.compare(step, o.step);
        if (c != 0) {
            return c;
        }
        c = Long.compare(timestamp, o.timestamp);
        if (c != 0) {
            return c;
        }
        // values are never NaN or -0.0 here, so this is SQLite's numeric order
        c = Double.compare(value, o.value);
        return c != 0 ? c : Boolean.compare(nan, o.nan);
    }

    boolean before(PointKey o) {
        return compareTo(o) < 0;
    }
}
