package dev.labbook.core.model;

/**
 * One point of a metric's history. NaN and the infinities are legal values.
 *
 * @param timestamp milliseconds since the epoch
 */
public record Metric(String key, double value, long timestamp, long step) {}
