package dev.labbook.store.jdbc;

import java.util.List;

/**
 * The per-bucket rule of {@link dev.labbook.core.metrics.Downsampler} on points fed in key
 * order: each bucket keeps its earliest minimum and earliest maximum (NaN passed over), or its
 * earliest NaN point when it has nothing else. Because only the earliest extreme survives, feeding
 * a span's own earliest minimum, maximum and NaN point instead of all its points picks the same.
 */
final class BucketPicker {
    private final List<PointKey> out;
    private int current = -1;
    private PointKey min;
    private PointKey max;
    private PointKey nan;

    /** Picked points are appended to {@code out}, in key order. */
    BucketPicker(List<PointKey> out) {
        this.out = out;
    }

    /** Feeds a point of bucket {@code bucket}; buckets never decrease from one call to the next. */
    void add(PointKey p, int bucket) {
        if (bucket != current) {
            flush();
            current = bucket;
        }
        if (p.nan()) {
            if (nan == null) {
                nan = p;
            }
        } else if (min == null) {
            min = p;
            max = p;
        } else if (p.value() < min.value()) {
            min = p;
        } else if (p.value() > max.value()) {
            max = p;
        }
    }

    /**
     * Feeds the candidates of a span of points that lies wholly inside bucket {@code bucket}.
     * Their order does not matter: a span's minimum and maximum differ in value unless they are
     * one point, and the NaN point only competes with NaN points; ties with points fed before go
     * to those, which come earlier in key order.
     */
    void add(Span b, int bucket) {
        if (b.min() != null) {
            add(b.min(), bucket);
            add(b.max(), bucket);
        }
        if (b.firstNan() != null) {
            add(b.firstNan(), bucket);
        }
    }

    /** Emits the current bucket's picks. */
    void flush() {
        if (min == null) {
            if (nan != null) {
                out.add(nan);
            }
        } else if (min.equals(max)) {
            out.add(min);
        } else if (min.before(max)) {
            out.add(min);
            out.add(max);
        } else {
            out.add(max);
            out.add(min);
        }
        min = null;
        max = null;
        nan = null;
    }
}
