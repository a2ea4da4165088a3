package dev.labbook.core.model;

import java.util.List;

/** The datasets a run consumed. */
public record RunInputs(List<DatasetInput> datasetInputs) {
    public RunInputs {
        datasetInputs = List.copyOf(datasetInputs);
    }

    public static RunInputs empty() {
        return new RunInputs(List.of());
    }
}
