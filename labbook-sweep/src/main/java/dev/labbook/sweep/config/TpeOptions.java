package dev.labbook.sweep.config;

/**
 * Settings of the TPE sampler (Labbook's {@code tpe:} section; Optuna's defaults): random trials
 * before TPE starts, candidates scored per suggestion, joint (multivariate) or per-parameter
 * Parzen estimators, and the constant liar, which counts running trials as bad ones so parallel
 * agents are not sent to the same point.
 */
public record TpeOptions(int nStartupTrials, int nEiCandidates, boolean multivariate, boolean constantLiar) {
    public static final TpeOptions DEFAULTS = new TpeOptions(10, 24, false, true);
}
