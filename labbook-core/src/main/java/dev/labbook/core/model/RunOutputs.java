package dev.labbook.core.model;

import java.util.List;

/** What a run produced: MLflow 3's {@code outputs.model_outputs}. */
public record RunOutputs(List<ModelOutput> modelOutputs) {
    public RunOutputs {
        modelOutputs = List.copyOf(modelOutputs);
    }
}
