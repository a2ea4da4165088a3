package dev.labbook.sweep;

/**
 * What an agent is told when it heartbeats or reports: stop the trial because the pruner says so,
 * or because its lease was lost (the trial was failed, and maybe queued again, meanwhile).
 */
public record Verdict(boolean prune, boolean leaseLost) {}
