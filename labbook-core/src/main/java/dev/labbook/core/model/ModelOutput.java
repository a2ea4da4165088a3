package dev.labbook.core.model;

/**
 * A logged model a run produced, at a step of the run (MLflow 3's LogOutputs).
 *
 * @param step the step of the run at which the model was produced
 */
public record ModelOutput(String modelId, long step) {}
