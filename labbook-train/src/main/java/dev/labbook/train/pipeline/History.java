package dev.labbook.train.pipeline;

import java.util.List;

/** Per-epoch figures of an iterative trainer, for plots; empty for one-shot trainers. */
public record History(List<Epoch> epochs) {
    public History {
        epochs = List.copyOf(epochs);
    }

    /** No epochs. */
    public static History none() {
        return new History(List.of());
    }

    /** One epoch's figures; NaN where not measured. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                        double learningRate, double seconds) {}
}
