package dev.labbook.sweep.prune;

import dev.labbook.sweep.TrialState;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A trial's intermediate values by step, as pruners see them. */
public record TrialHistory(int number, TrialState state, NavigableMap<Long, Double> values) {
    public TrialHistory {
        values = new TreeMap<>(values);
    }

    /** The last step reported, or -1 when none was. */
    public long lastStep() {
        return values.isEmpty() ? -1 : values.lastKey();
    }

    /** The value of the first report at or after {@code step}, or null when the trial did not get there. */
    public Double valueReaching(long step) {
        var e = values.ceilingEntry(step);
        return e == null ? null : e.getValue();
    }
}
