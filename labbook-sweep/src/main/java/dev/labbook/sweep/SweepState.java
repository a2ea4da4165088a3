package dev.labbook.sweep;

/** A sweep hands out trials while RUNNING; FINISHED when its trials are all done, STOPPED by a user. */
public enum SweepState {
    RUNNING, FINISHED, STOPPED
}
