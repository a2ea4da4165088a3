package dev.labbook.client.sweep;

import dev.labbook.sweep.SweepService;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.Verdict;

/**
 * What a running trial's agent knows: whether the server said to prune it or the lease was lost,
 * and who to tell (a process runner stops its process). Updated by heartbeats and reports.
 */
public final class TrialControl {
    private final SweepService service;
    private final Trial trial;
    private final String agentId;
    private volatile boolean prune;
    private volatile boolean leaseLost;
    private volatile Runnable onStop = () -> {};

    TrialControl(SweepService service, Trial trial, String agentId) {
        this.service = service;
        this.trial = trial;
        this.agentId = agentId;
    }

    public Trial trial() {
        return trial;
    }

    /** True once the pruner said this trial should stop. */
    public boolean pruned() {
        return prune;
    }

    /** True once the trial was failed behind this agent's back (its lease expired). */
    public boolean leaseLost() {
        return leaseLost;
    }

    /** Runs {@code action} (once) when the trial is to stop: pruned or lease lost. */
    public void onStop(Runnable action) {
        this.onStop = action;
        if (prune || leaseLost) {
            action.run();
        }
    }

    /** Reports an intermediate value of the sweep metric; true when the trial should now stop. */
    public boolean report(long step, double value) {
        apply(service.report(trial.trialId(), agentId, step, value));
        return prune || leaseLost;
    }

    void heartbeat() {
        apply(service.heartbeat(trial.trialId(), agentId));
    }

    private void apply(Verdict v) {
        boolean wasStopping = prune || leaseLost;
        prune |= v.prune();
        leaseLost |= v.leaseLost();
        if (!wasStopping && (prune || leaseLost)) {
            onStop.run();
        }
    }
}
