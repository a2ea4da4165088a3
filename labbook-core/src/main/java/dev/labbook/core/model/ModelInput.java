package dev.labbook.core.model;

/** A logged model (or model version) a run consumed, as MLflow 3's log-inputs sends it. */
public record ModelInput(String modelId) {}
