package dev.labbook.core.model;

/** A run as MLflow returns it: info, data and inputs. */
public record Run(RunInfo info, RunData data, RunInputs inputs) {}
