package dev.labbook.client.sweep;

import dev.labbook.sweep.Trial;
import java.util.Map;

/**
 * The trial an in-process agent hands to its code ({@link dev.labbook.client.Sweep#agent}): its
 * parameters and run, a way to report intermediate values, and whether to stop early.
 */
public final class SweepTrial {
    private final TrialControl control;

    private SweepTrial(TrialControl control) {
        this.control = control;
    }

    /** The trial {@code control} runs. */
    public static SweepTrial of(TrialControl control) {
        return new SweepTrial(control);
    }

    /** Parameter values by flat dotted name (Long, Double, String, Boolean, or lists and maps of them). */
    public Map<String, Object> params() {
        return control.trial().params();
    }

    /** A numeric parameter as a double. */
    public double doubleParam(String name) {
        return ((Number) params().get(name)).doubleValue();
    }

    /** The trial's run: log to it with {@code Labbook.init(new RunOptions().optRunId(trial.runId()))} or any MLflow client. */
    public String runId() {
        return control.trial().runId();
    }

    public int number() {
        return control.trial().number();
    }

    /** Reports the sweep metric at {@code step} (it is logged to the run too); true when the trial should stop. */
    public boolean report(long step, double value) {
        return control.report(step, value);
    }

    /** True once the pruner said this trial should stop (after a report or heartbeat), or its lease was lost. */
    public boolean shouldPrune() {
        return control.pruned() || control.leaseLost();
    }
}
