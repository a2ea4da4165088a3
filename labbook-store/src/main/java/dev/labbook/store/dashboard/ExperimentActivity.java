package dev.labbook.store.dashboard;

/**
 * What the dashboard's experiment list shows besides the experiment itself.
 *
 * @param runs active runs
 * @param running active runs whose status is RUNNING
 * @param lastActivity the latest run start, run end or metric timestamp in milliseconds, or null
 *     when the experiment has no runs
 */
public record ExperimentActivity(String experimentId, long runs, long running, Long lastActivity) {}
