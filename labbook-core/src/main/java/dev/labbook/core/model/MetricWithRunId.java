package dev.labbook.core.model;

/** A metric point tagged with its run, as get-history-bulk-interval returns it. */
public record MetricWithRunId(String key, double value, long timestamp, long step, String runId) {}
