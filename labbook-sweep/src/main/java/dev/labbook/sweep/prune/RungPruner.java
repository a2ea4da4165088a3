package dev.labbook.sweep.prune;

import dev.labbook.sweep.config.Goal;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving, and Hyperband as several of it. A bracket {@code b} has rungs
 * at {@code minResource * eta^(b + k)} steps (below {@code maxResource} when that is set); a
 * trial's value at a rung is its first report at or after the rung's step. When a report takes a
 * trial past a rung, it goes on only if fewer than {@code max(1, floor(n / eta))} of the n trials
 * of its bracket that reached the rung did strictly better there. Trials are dealt to brackets
 * round robin by number; with one bracket this is ASHA.
 */
final class RungPruner implements Pruner {
    private final Goal goal;
    private final long minResource;
    private final double eta;
    private final long maxResource;
    private final int brackets;

    RungPruner(Goal goal, long minResource, double eta, long maxResource, int brackets) {
        this.goal = goal;
        this.minResource = minResource;
        this.eta = eta;
        this.maxResource = maxResource;
        this.brackets = brackets;
    }

    /** The rung steps of bracket {@code bracket} up to {@code until} (inclusive). */
    List<Long> rungs(int bracket, long until) {
        List<Long> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            long r = Math.round(minResource * Math.pow(eta, bracket + k));
            if (r > until || (maxResource > 0 && r >= maxResource)) {
                return out;
            }
            out.add(r);
        }
    }

    @Override
    public boolean shouldPrune(TrialHistory trial, List<TrialHistory> all) {
        long step = trial.lastStep();
        if (step < 0) {
            return false;
        }
        Long previous = trial.values().lowerKey(step);
        long before = previous == null ? Long.MIN_VALUE : previous;
        int bracket = trial.number() % brackets;
        for (long rung : rungs(bracket, step)) {
            if (rung <= before) {
                continue; // decided when that earlier report passed it
            }
            double mine = trial.valueReaching(rung);
            int reached = 0;
            int better = 0;
            for (TrialHistory t : all) {
                if (t.number() % brackets != bracket) {
                    continue;
                }
                Double v = t.number() == trial.number() ? (Double) mine : t.valueReaching(rung);
                if (v == null) {
                    continue;
                }
                reached++;
                if (!Double.isNaN(v) && (Double.isNaN(mine) || goal.better(v, mine))) {
                    better++;
                }
            }
            int keep = Math.max(1, (int) Math.floor(reached / eta));
            if (better >= keep) {
                return true;
            }
        }
        return false;
    }
}
