package dev.labbook.store.dashboard;

import java.util.Locale;
import java.util.Optional;

/** Which value of each run's metric history a runs-table column shows besides the latest. */
public enum MetricAggregate {
    /** The smallest value (NaN points left out). */
    MIN,
    /** The largest value (NaN points left out). */
    MAX,
    /** The value at a given step (the last one logged at it). */
    STEP;

    /** The aggregate named {@code name} (min, max, step), any case. */
    public static Optional<MetricAggregate> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
