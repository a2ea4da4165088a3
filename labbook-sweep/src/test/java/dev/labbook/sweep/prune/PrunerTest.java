package dev.labbook.sweep.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.EarlyTerminate;
import dev.labbook.sweep.config.Goal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Pruners against rungs and medians worked out by hand. */
class PrunerTest {

    private static TrialHistory trial(int number, TrialState state, double... valuesFromStep1) {
        TreeMap<Long, Double> v = new TreeMap<>();
        for (int i = 0; i < valuesFromStep1.length; i++) {
            v.put((long) i + 1, valuesFromStep1[i]);
        }
        return new TrialHistory(number, state, v);
    }

    @Test
    void ashaRungsAreGraceTimesFactorPowersBelowMaxT() {
        RungPruner asha = (RungPruner) Pruner.of(new EarlyTerminate.Asha(1, 4, 100), Goal.MAXIMIZE);
        assertEquals(List.of(1L, 4L, 16L, 64L), asha.rungs(0, 1000));
        RungPruner hb = (RungPruner) Pruner.of(new EarlyTerminate.Hyperband(3, 3, 0, 3), Goal.MAXIMIZE);
        assertEquals(List.of(3L, 9L, 27L, 81L), hb.rungs(0, 100));
        assertEquals(List.of(9L, 27L, 81L), hb.rungs(1, 100));
        assertEquals(List.of(27L, 81L), hb.rungs(2, 100));
    }

    @Test
    void ashaKeepsTheTopFractionAtEachRung() {
        // maximize, grace 1, factor 2: rungs at steps 1, 2, 4, 8
        Pruner asha = Pruner.of(new EarlyTerminate.Asha(1, 2, 100), Goal.MAXIMIZE);
        List<TrialHistory> all = new ArrayList<>();
        all.add(trial(0, TrialState.COMPLETE, 0.5, 0.6, 0.7, 0.8));
        // trial 1 at step 1: 2 reached, keep max(1, 2/2) = 1, one did better (0.5 > 0.3): pruned
        TrialHistory t1 = trial(1, TrialState.RUNNING, 0.3);
        all.add(t1);
        assertTrue(asha.shouldPrune(t1, all));
        // trial 2 at step 1 with 0.55: 3 reached, keep 1, nobody better: goes on
        TrialHistory t2 = trial(2, TrialState.RUNNING, 0.55);
        all.add(t2);
        assertFalse(asha.shouldPrune(t2, all));
        // trial 2 at step 2 with 0.58: rung 2 reached by trials 0 (0.6) and 2: keep 1, trial 0 better: pruned
        TrialHistory t2b = trial(2, TrialState.RUNNING, 0.55, 0.58);
        all.set(2, t2b);
        assertTrue(asha.shouldPrune(t2b, all));
        // step 3 is no rung: no decision, so no prune even though it is worse than everyone
        TrialHistory t3 = trial(3, TrialState.RUNNING, 0.9, 0.9, 0.1);
        all.add(t3);
        assertFalse(asha.shouldPrune(t3, all));
        // a jump from step 3 to 5 crosses rung 4: 0.75 (first report at or after 4) vs trial 0's 0.8 -> pruned
        TreeMap<Long, Double> v = new TreeMap<>(t3.values());
        v.put(5L, 0.75);
        TrialHistory t3b = new TrialHistory(3, TrialState.RUNNING, v);
        all.set(3, t3b);
        assertTrue(asha.shouldPrune(t3b, all));
    }

    @Test
    void hyperbandComparesOnlyWithinABracket() {
        // minimize, min_iter 1, eta 3, 2 brackets: even trials rung at 1, 3, 9; odd trials at 3, 9
        Pruner hb = Pruner.of(new EarlyTerminate.Hyperband(1, 3, 0, 2), Goal.MINIMIZE);
        List<TrialHistory> all = new ArrayList<>();
        all.add(trial(0, TrialState.COMPLETE, 1, 1, 1));
        all.add(trial(1, TrialState.COMPLETE, 9, 9, 9));
        all.add(trial(2, TrialState.COMPLETE, 2, 2, 2));
        // trial 3 (odd bracket) at step 1: no rung at 1 in its bracket
        TrialHistory t3 = trial(3, TrialState.RUNNING, 5);
        all.add(t3);
        assertFalse(hb.shouldPrune(t3, all));
        // trial 3 at step 3: rung 3 reached by trials 1 (9) and 3 (5): keep max(1, floor(2/3)) = 1, it is best
        TrialHistory t3b = trial(3, TrialState.RUNNING, 5, 5, 5);
        all.set(3, t3b);
        assertFalse(hb.shouldPrune(t3b, all));
        // trial 4 (even bracket) at step 1 with 1.5: trials 0 (1), 2 (2), 4 reached; keep 1; trial 0 better: pruned
        TrialHistory t4 = trial(4, TrialState.RUNNING, 1.5);
        all.add(t4);
        assertTrue(hb.shouldPrune(t4, all));
    }

    @Test
    void medianPrunerFollowsOptunasDefaults() {
        Pruner median = Pruner.of(new EarlyTerminate.Median(5, 0, 1, 1), Goal.MINIMIZE);
        List<TrialHistory> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(trial(i, TrialState.COMPLETE, 1 + i, 1 + i));
        }
        TrialHistory bad = trial(4, TrialState.RUNNING, 100);
        all.add(bad);
        assertFalse(median.shouldPrune(bad, all), "4 complete trials: still in n_startup_trials=5");
        all.add(0, trial(5, TrialState.COMPLETE, 5, 5));
        // complete values at step 1: 1, 2, 3, 4, 5 -> median 3
        assertTrue(median.shouldPrune(bad, all));
        TrialHistory fine = trial(6, TrialState.RUNNING, 3);
        assertFalse(median.shouldPrune(fine, all), "equal to the median is not worse");
        // best so far counts: 2.5 at step 1 then 4 at step 2 (median at step 2 is 3): best 2.5 < 3, goes on
        TrialHistory recovering = trial(7, TrialState.RUNNING, 2.5, 4);
        assertFalse(median.shouldPrune(recovering, all));
        // a step nobody complete reported: fewer than n_min_trials values, no decision
        TrialHistory far = trial(8, TrialState.RUNNING, 9, 9, 9);
        assertFalse(median.shouldPrune(far, all));
        Pruner warm = Pruner.of(new EarlyTerminate.Median(0, 2, 1, 1), Goal.MINIMIZE);
        assertFalse(warm.shouldPrune(bad, all), "step 1 is within 2 warm-up steps");
        assertEquals(2.5, MedianPruner.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }
}
