package dev.labbook.core.registry;

/**
 * The registration status of a model version. Labbook registers synchronously, so every version
 * it creates is {@link #READY}; the other values exist because they are part of MLflow's wire
 * format.
 */
public enum ModelVersionStatus {
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY
}
