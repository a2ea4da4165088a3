package dev.labbook.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener inside a real DJL trainer (PyTorch on CPU), on a tiny separable problem. */
class LabbookTrainingListenerTest {

    record Logged(Map<String, Double> metrics, long step) {}

    @Test
    void logsBatchLossEveryKStepsAndEpochFigures() throws Exception {
        List<Logged> logged = new ArrayList<>();
        Tracker lr = Tracker.fixed(0.1f);
        LabbookTrainingListener listener = LabbookTrainingListener.builder((m, s) -> logged.add(new Logged(m, s)))
                .optBatchInterval(2).optLearningRate(lr).build();
        try (Model model = Model.newInstance("tiny");
             NDManager manager = NDManager.newBaseManager()) {
            // a hidden layer: with a bare 2-unit softmax layer the gradients sum to zero, which
            // DJL's first-step sanity check mistakes for a missing backward pass
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(2).build()));
            NDArray x = manager.randomNormal(new Shape(64, 4));
            NDArray y = x.get(":, 0").gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            ArrayDataset train = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(8, false).build();
            ArrayDataset val = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(16, false).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(listener);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 4));
                EasyTrain.fit(trainer, 2, train, val);
            }
        }
        List<Logged> batches = logged.stream().filter(l -> l.metrics().containsKey("batch_loss")).toList();
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L), batches.stream().map(Logged::step).toList());
        List<Logged> epochs = logged.stream().filter(l -> l.metrics().containsKey("epoch_seconds")).toList();
        assertEquals(List.of(1L, 2L), epochs.stream().map(Logged::step).toList());
        for (String key : List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate")) {
            assertTrue(epochs.get(1).metrics().containsKey(key), key + " in " + epochs.get(1).metrics());
        }
        assertEquals(0.1, epochs.get(0).metrics().get("learning_rate"), 1e-6);
        assertEquals(2, listener.epochs().size());
        assertTrue(listener.epochs().get(1).valLoss() < listener.epochs().get(0).trainLoss() * 2);
    }
}
