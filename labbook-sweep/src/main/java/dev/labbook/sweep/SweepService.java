package dev.labbook.sweep;

import dev.labbook.sweep.prune.TrialHistory;
import java.util.List;

/**
 * The operations of sweeps, the same whether the sweep lives in a local store or behind a
 * tracking server. Implementations make {@link #claim} atomic: two agents never get the same
 * trial. Failures are {@link dev.labbook.core.LabbookException}s (RESOURCE_DOES_NOT_EXIST for an
 * unknown id, INVALID_PARAMETER_VALUE for a bad configuration).
 */
public interface SweepService {

    /**
     * Creates a sweep from a sweep file's text (YAML or JSON), with its parent run.
     *
     * @param experimentId where its runs go; null for the file's {@code experiment} (created if
     *     missing), else the Default experiment
     */
    Sweep createSweep(String configText, String experimentId);

    Sweep getSweep(String sweepId);

    /** The sweeps of an experiment, newest first; every sweep when {@code experimentId} is null. */
    List<Sweep> listSweeps(String experimentId);

    /** The sweep's trials by number. */
    List<Trial> listTrials(String sweepId);

    /** Every trial's intermediate values (what the pruners judged), by trial number. */
    List<TrialHistory> intermediateValues(String sweepId);

    /**
     * Gives the agent the next trial: a queued retry, else a new one from the sampler, with its
     * run created as a child of the sweep's run. Trials whose lease expired are failed (and queued
     * again, up to the sweep's max_retries) first.
     */
    Claim claim(String sweepId, String agentId);

    /**
     * Extends the trial's lease, copies the run's values of the sweep metric into the trial's
     * intermediate values, and says whether to prune.
     */
    Verdict heartbeat(String trialId, String agentId);

    /** Records an intermediate value (also logged to the trial's run) and says whether to prune. */
    Verdict report(String trialId, String agentId, long step, double value);

    /**
     * Ends a trial (COMPLETE, PRUNED or FAILED). Without a value, the run's latest value of the
     * sweep metric is the trial's value. The run is ended too: FINISHED, KILLED (pruned, tagged
     * {@code labbook.sweep.pruned=true}) or FAILED.
     */
    Trial finishTrial(String trialId, String agentId, TrialState state, Double value);

    /** Stops handing out trials; running ones may finish. */
    Sweep stopSweep(String sweepId);
}
