package dev.labbook.sweep.prune;

import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.EarlyTerminate;
import dev.labbook.sweep.config.Goal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Optuna's MedianPruner: once {@code n_startup_trials} trials are complete, a trial past its
 * warm-up steps, on a step of the interval, is stopped when its best value so far is worse than
 * the median of the complete trials' values at that same step (given at least
 * {@code n_min_trials} of them).
 */
final class MedianPruner implements Pruner {
    private final EarlyTerminate.Median settings;
    private final Goal goal;

    MedianPruner(EarlyTerminate.Median settings, Goal goal) {
        this.settings = settings;
        this.goal = goal;
    }

    @Override
    public boolean shouldPrune(TrialHistory trial, List<TrialHistory> all) {
        long step = trial.lastStep();
        if (step < 0 || step < settings.nWarmupSteps() || (step - settings.nWarmupSteps()) % settings.intervalSteps() != 0) {
            return false;
        }
        List<TrialHistory> complete = all.stream().filter(t -> t.state() == TrialState.COMPLETE && t.number() != trial.number()).toList();
        if (complete.size() < settings.nStartupTrials()) {
            return false;
        }
        List<Double> atStep = new ArrayList<>();
        for (TrialHistory t : complete) {
            Double v = t.values().get(step);
            if (v != null && !v.isNaN()) {
                atStep.add(v);
            }
        }
        if (atStep.size() < settings.nMinTrials()) {
            return false;
        }
        double best = Double.NaN;
        for (double v : trial.values().values()) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || goal.better(v, best))) {
                best = v;
            }
        }
        if (Double.isNaN(best)) {
            return true; // nothing but NaN: no better than anyone
        }
        return goal.better(median(atStep), best);
    }

    /** The median, averaging the two middle values of an even count (numpy's percentile 50). */
    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
