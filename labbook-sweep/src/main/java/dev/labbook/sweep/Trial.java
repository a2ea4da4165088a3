package dev.labbook.sweep;

import java.util.Map;

/**
 * One trial of a sweep: parameters, the run it logs to, who runs it and until when.
 *
 * @param number the trial's position in the sweep (0-based; a retry gets a number of its own)
 * @param params parameter values by flat dotted name
 * @param agentId the agent that claimed it, or null while queued
 * @param leaseExpiry when the trial fails unless its agent heartbeats (ms since the epoch), or null
 * @param attempt 0 for a first attempt, n for the n-th retry
 * @param retryOf the trial this one retries, or null
 * @param value the trial's final metric value (or last reported one when pruned), or null
 * @param prunedAtStep the step at which it was pruned, or null
 */
public record Trial(String trialId, String sweepId, int number, TrialState state, Map<String, Object> params,
        String runId, String agentId, Long leaseExpiry, int attempt, String retryOf, Double value,
        Long startTime, Long endTime, Long prunedAtStep) {}
