package dev.labbook.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.tracker.ParameterTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link TrainingListener} that tracks training in Labbook: the batch loss every
 * {@code k} steps (metric {@code batch_loss} at the global step), and per epoch the train and
 * validation loss and accuracy, the learning rate and the epoch time (metrics
 * {@code train_loss}, {@code val_loss}, {@code train_accuracy}, {@code val_accuracy},
 * {@code learning_rate}, {@code epoch_seconds} at step = epoch number, from 1).
 *
 * <p>Add it to any trainer's config after DJL's default listeners, whose evaluator listener
 * computes the epoch figures this one reads:
 * <pre>{@code
 * new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *     .addEvaluator(new Accuracy())
 *     .addTrainingListeners(TrainingListener.Defaults.basic())
 *     .addTrainingListeners(LabbookTrainingListener.builder(run::log).optBatchInterval(50).build());
 * }</pre>
 */
public final class LabbookTrainingListener implements TrainingListener {
    private final MetricSink sink;
    private final int batchInterval;
    private final ParameterTracker learningRate;
    private final String accuracyName;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private long step;
    private int epoch;
    private long epochStart;

    private LabbookTrainingListener(Builder b) {
        this.sink = b.sink;
        this.batchInterval = b.batchInterval;
        this.learningRate = b.learningRate;
        this.accuracyName = b.accuracyName;
    }

    /** A builder logging to {@code sink}. */
    public static Builder builder(MetricSink sink) {
        return new Builder(sink);
    }

    /** The figures of one epoch as logged; NaN where the trainer had none. */
    public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                               double learningRate, double seconds) {}

    /** The epochs seen so far, for callers that plot or stop early. */
    public List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        if (step % batchInterval != 0) {
            return;
        }
        // one extra loss evaluation on the batch's outputs every k steps: tiny next to the step itself
        double sum = 0;
        int devices = 0;
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            sum += trainer.getLoss().evaluate(labels, predictions).getFloat();
            devices++;
        }
        if (devices > 0) {
            sink.log(Map.of("batch_loss", sum / devices), step);
        }
    }

    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        // validation figures arrive per epoch through the trainer's evaluators
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        long now = System.nanoTime();
        double seconds = (now - epochStart) / 1e9;
        epochStart = now;
        TrainingResult r = trainer.getTrainingResult();
        EpochMetrics m = new EpochMetrics(epoch, value(r.getTrainLoss()), value(r.getTrainEvaluation(accuracyName)),
                value(r.getValidateLoss()), value(r.getValidateEvaluation(accuracyName)),
                learningRate == null ? Double.NaN : learningRate.getNewValue("", (int) step), seconds);
        epochs.add(m);
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "train_loss", m.trainLoss());
        put(metrics, "train_accuracy", m.trainAccuracy());
        put(metrics, "val_loss", m.valLoss());
        put(metrics, "val_accuracy", m.valAccuracy());
        put(metrics, "learning_rate", m.learningRate());
        metrics.put("epoch_seconds", seconds);
        sink.log(metrics, epoch);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        // everything was logged as it happened
    }

    private static double value(Float f) {
        return f == null ? Double.NaN : f;
    }

    private static void put(Map<String, Double> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }

    /** Builds a {@link LabbookTrainingListener}; {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private final MetricSink sink;
        private int batchInterval = 50;
        private ParameterTracker learningRate;
        private String accuracyName = "Accuracy";

        private Builder(MetricSink sink) {
            this.sink = java.util.Objects.requireNonNull(sink, "sink");
        }

        /** Log the batch loss every {@code k} training steps (default 50). */
        public Builder optBatchInterval(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("batch interval must be >= 1, got " + k);
            }
            this.batchInterval = k;
            return this;
        }

        /** The optimizer's learning-rate tracker, to log the rate in effect each epoch. */
        public Builder optLearningRate(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /** The name of the accuracy evaluator (default {@code Accuracy}, DJL's). */
        public Builder optAccuracyName(String name) {
            this.accuracyName = name;
            return this;
        }

        public LabbookTrainingListener build() {
            return new LabbookTrainingListener(this);
        }
    }
}
