package dev.labbook.core.model;

/** MLflow's run status. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    /** True for the states a run cannot leave by logging more data. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
