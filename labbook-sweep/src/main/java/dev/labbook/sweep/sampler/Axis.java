package dev.labbook.sweep.sampler;

import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.Values;
import java.util.List;

/**
 * One parameter as TPE models it. Numeric parameters live in an internal space, the logarithm of
 * the value for log distributions, on [low, high]; a grid parameter (integers, q_uniform) has its
 * range widened by half a step on each side and its step, so its kernels are masses of the cells
 * around grid points (as Optuna does). Normal and log-normal parameters are modelled on their mean
 * plus or minus four deviations. Categorical parameters are indices.
 */
record Axis(String name, Distribution distribution, boolean categorical, double low, double high, double step, boolean log) {
    private static final double NORMAL_SPAN = 4;

    static Axis of(String name, Distribution d) {
        if (d instanceof Distribution.Categorical c) {
            return new Axis(name, d, true, 0, c.values().size() - 1, 0, false);
        }
        if (d instanceof Distribution.IntUniform u) {
            return new Axis(name, d, false, u.min() - 0.5, u.max() + 0.5, 1, false);
        }
        if (d instanceof Distribution.Uniform u) {
            return new Axis(name, d, false, u.min(), u.max(), 0, false);
        }
        if (d instanceof Distribution.QUniform q) {
            double first = Math.ceil(q.min() / q.q() - 1e-9) * q.q();
            double last = Math.floor(q.max() / q.q() + 1e-9) * q.q();
            return new Axis(name, d, false, first - q.q() / 2, last + q.q() / 2, q.q(), false);
        }
        if (d instanceof Distribution.LogUniformValues l) {
            return new Axis(name, d, false, Math.log(l.min()), Math.log(l.max()), 0, true);
        }
        if (d instanceof Distribution.QLogUniformValues l) {
            return new Axis(name, d, false, Math.log(l.min()), Math.log(l.max()), 0, true);
        }
        if (d instanceof Distribution.Normal n) {
            return new Axis(name, d, false, n.mu() - NORMAL_SPAN * n.sigma(), n.mu() + NORMAL_SPAN * n.sigma(), 0, false);
        }
        if (d instanceof Distribution.LogNormal n) {
            return new Axis(name, d, false, n.mu() - NORMAL_SPAN * n.sigma(), n.mu() + NORMAL_SPAN * n.sigma(), 0, true);
        }
        throw new IllegalArgumentException("TPE does not model " + d.wandbName());
    }

    /** A parameter value in internal space, or NaN when it cannot be placed (a value outside the space). */
    double toInternal(Object value) {
        if (categorical) {
            int i = ((Distribution.Categorical) distribution).indexOf(value);
            return i < 0 ? Double.NaN : i;
        }
        if (!(value instanceof Number n)) {
            return Double.NaN;
        }
        double v = n.doubleValue();
        if (log) {
            return v > 0 ? Math.min(high, Math.max(low, Math.log(v))) : Double.NaN;
        }
        return Math.min(high, Math.max(low, v));
    }

    /** The parameter value at internal point {@code x}, in the distribution's support. */
    Object fromInternal(double x) {
        if (categorical) {
            List<Object> values = ((Distribution.Categorical) distribution).values();
            return values.get((int) Math.max(0, Math.min(values.size() - 1, Math.round(x))));
        }
        double v = log ? Math.exp(x) : x;
        Distribution d = distribution;
        if (d instanceof Distribution.IntUniform u) {
            return Math.max(u.min(), Math.min(u.max(), Math.round(v)));
        }
        if (d instanceof Distribution.QUniform q) {
            return Values.onGrid(v, q.min(), q.max(), q.q(), q.integer());
        }
        if (d instanceof Distribution.QLogUniformValues q) {
            return Values.onGrid(v, q.min(), q.max(), q.q(), q.integer());
        }
        if (d instanceof Distribution.Uniform u) {
            return Math.max(u.min(), Math.min(u.max(), v));
        }
        if (d instanceof Distribution.LogUniformValues u) {
            return Math.max(u.min(), Math.min(u.max(), v));
        }
        return v;
    }
}
