package dev.labbook.sweep;

/**
 * A sweep as stored: its id, the experiment and parent run its trials are logged under, and its
 * configuration as JSON (the file as given, with the seed filled in).
 *
 * @param bestTrialId the complete trial with the best metric so far, or null
 * @param bestValue that trial's value, or null
 */
public record Sweep(String sweepId, String experimentId, String parentRunId, String name, SweepState state,
        String config, long creationTime, long lastUpdateTime, String bestTrialId, Double bestValue) {}
