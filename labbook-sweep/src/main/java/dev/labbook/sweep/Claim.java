package dev.labbook.sweep;

/**
 * The answer to an agent asking for work: a trial, or none. With none, {@code finished} says
 * whether the sweep will never have another (finished or stopped) or only not now (every trial
 * left is running, and one may yet be queued again).
 *
 * @param trial the claimed trial, or null
 */
public record Claim(Trial trial, boolean finished) {}
