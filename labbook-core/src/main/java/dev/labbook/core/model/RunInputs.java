package dev.labbook.core.model;

import java.util.List;

/**
 * The datasets and models a run consumed.
 *
 * @param modelInputs the logged models the run consumed (MLflow 3); null when there are none, so
 *     that a run without any is written exactly as before (MLflow 2.x clients never see the field)
 */
public record RunInputs(List<DatasetInput> datasetInputs, List<ModelInput> modelInputs) {
    public RunInputs {
        datasetInputs = List.copyOf(datasetInputs);
        modelInputs = modelInputs == null || modelInputs.isEmpty() ? null : List.copyOf(modelInputs);
    }

    /** Dataset inputs only. */
    public RunInputs(List<DatasetInput> datasetInputs) {
        this(datasetInputs, null);
    }

    public static RunInputs empty() {
        return new RunInputs(List.of());
    }
}
