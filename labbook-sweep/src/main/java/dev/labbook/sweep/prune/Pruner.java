package dev.labbook.sweep.prune;

import dev.labbook.sweep.config.EarlyTerminate;
import dev.labbook.sweep.config.Goal;
import java.util.List;

/**
 * Decides, after a trial reported an intermediate value, whether it should stop. Pruners keep no
 * state: each decision is made from the trials' reported values alone, so any server (or any
 * process over the same store) answers the same.
 */
public interface Pruner {

    /**
     * True when {@code trial}, whose latest report is its last entry, should be stopped.
     *
     * @param all every trial of the sweep, {@code trial} included
     */
    boolean shouldPrune(TrialHistory trial, List<TrialHistory> all);

    /** The pruner of an {@code early_terminate} section; one that never prunes for null. */
    static Pruner of(EarlyTerminate e, Goal goal) {
        if (e == null) {
            return (trial, all) -> false;
        }
        if (e instanceof EarlyTerminate.Median m) {
            return new MedianPruner(m, goal);
        }
        if (e instanceof EarlyTerminate.Asha a) {
            return new RungPruner(goal, a.gracePeriod(), a.reductionFactor(), a.maxT(), 1);
        }
        EarlyTerminate.Hyperband h = (EarlyTerminate.Hyperband) e;
        return new RungPruner(goal, h.minIter(), h.eta(), h.maxIter(), h.brackets());
    }
}
