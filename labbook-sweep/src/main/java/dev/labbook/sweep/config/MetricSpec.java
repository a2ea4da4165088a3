package dev.labbook.sweep.config;

/**
 * The {@code metric} section: the run metric a trial is judged by, which way is better, and an
 * optional target that ends the sweep once a finished trial reaches it (null for none).
 */
public record MetricSpec(String name, Goal goal, Double target) {

    /** True when {@code value} meets the target. */
    public boolean reached(double value) {
        return target != null && (goal == Goal.MINIMIZE ? value <= target : value >= target);
    }
}
