package dev.labbook.core.model;

/**
 * A run as MLflow returns it: info, data, inputs and (MLflow 3) outputs.
 *
 * @param outputs the logged models the run produced; null when it produced none, so that such a
 *     run is written exactly as before
 */
public record Run(RunInfo info, RunData data, RunInputs inputs, RunOutputs outputs) {
    public Run {
        outputs = outputs == null || outputs.modelOutputs().isEmpty() ? null : outputs;
    }

    /** A run without model outputs. */
    public Run(RunInfo info, RunData data, RunInputs inputs) {
        this(info, data, inputs, null);
    }
}
