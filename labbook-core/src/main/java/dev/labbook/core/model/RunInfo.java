package dev.labbook.core.model;

/**
 * The metadata of a run. {@code runUuid} repeats {@code runId} because older MLflow clients
 * still read it.
 *
 * @param endTime null while the run has not ended
 */
public record RunInfo(
        String runId,
        String runUuid,
        String runName,
        String experimentId,
        String userId,
        RunStatus status,
        long startTime,
        Long endTime,
        String artifactUri,
        LifecycleStage lifecycleStage) {}
