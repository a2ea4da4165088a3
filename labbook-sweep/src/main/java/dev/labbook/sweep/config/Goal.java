package dev.labbook.sweep.config;

/** Whether a sweep's metric is to be made small or large. */
public enum Goal {
    MINIMIZE, MAXIMIZE;

    /** True when {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }

    /** The value as a loss: smaller is better either way. */
    public double loss(double v) {
        return this == MINIMIZE ? v : -v;
    }
}
