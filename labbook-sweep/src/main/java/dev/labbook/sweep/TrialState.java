package dev.labbook.sweep;

/** Where a trial is: waiting for an agent, being run, or ended one of three ways. */
public enum TrialState {
    QUEUED, RUNNING, COMPLETE, PRUNED, FAILED;

    /** True for the states a trial never leaves. */
    public boolean finished() {
        return this == COMPLETE || this == PRUNED || this == FAILED;
    }
}
