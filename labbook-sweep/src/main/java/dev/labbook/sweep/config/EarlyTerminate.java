package dev.labbook.sweep.config;

/**
 * The {@code early_terminate} section: which pruner stops unpromising trials, with its settings
 * (defaults filled in when the file left them out).
 */
public sealed interface EarlyTerminate {

    /**
     * W&B's Hyperband: trials are checked at {@code minIter * eta^k} steps and stopped unless in
     * the top {@code 1/eta} there. {@code brackets} above 1 runs that many ASHA brackets, bracket
     * {@code b} starting at {@code minIter * eta^b} (Li et al.'s Hyperband); trials are dealt to
     * brackets round robin. {@code maxIter} caps the rungs (0: no cap).
     */
    record Hyperband(long minIter, double eta, long maxIter, int brackets) implements EarlyTerminate {}

    /**
     * Asynchronous successive halving (Ray Tune's ASHA keys): rungs at
     * {@code gracePeriod * reductionFactor^k} below {@code maxT}; a trial reaching a rung goes on
     * only when it is among the best {@code 1/reductionFactor} of the trials that reached it.
     */
    record Asha(long gracePeriod, double reductionFactor, long maxT) implements EarlyTerminate {}

    /**
     * Optuna's MedianPruner: after {@code nStartupTrials} finished trials and {@code nWarmupSteps}
     * steps, every {@code intervalSteps} steps, a trial whose best value so far is worse than the
     * median of the finished trials' values at the same step is stopped.
     */
    record Median(int nStartupTrials, long nWarmupSteps, long intervalSteps, int nMinTrials) implements EarlyTerminate {}
}
