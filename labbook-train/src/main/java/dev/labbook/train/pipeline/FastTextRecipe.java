package dev.labbook.train.pipeline;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.labbook.djl.LabbookTrainingListener;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.Review;
import dev.labbook.train.data.Splits;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.model.DjlSetup;
import dev.labbook.train.model.FastTextBlock;
import dev.labbook.train.model.FastTextModel;
import dev.labbook.train.util.Progress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fastText-style model trained with DJL's trainer on PyTorch (CPU). The loop is DJL's
 * (trainBatch, step, validateBatch, listeners); tracking joins it as a
 * {@link LabbookTrainingListener}. Early stopping watches the validation loss with a patience,
 * and the best epoch's weights are kept.
 */
final class FastTextRecipe implements Recipe {
    /** Log the batch loss every this many steps at most (fewer on small data, for ~4 points an epoch). */
    private static final int BATCH_LOG_INTERVAL = 20;

    @Override
    public Trained train(List<Review> train, List<Review> validation, TrainConfig config,
                         dev.labbook.train.track.Tracker tracker, PrintStream out) {
        DjlSetup.configure();
        long t0 = System.nanoTime();
        out.printf("building %s n-gram features of %,d reviews...%n", config.ngramConfig().range(), train.size());
        NgramVocabulary.Built built = NgramVocabulary.build(SentimentTraining.texts(train), config.ngramConfig());
        List<long[]> trainIds = ids(built.encoded(), config.maxTokens());
        List<long[]> valIds = ids(built.vocabulary().encodeAll(SentimentTraining.texts(validation)), config.maxTokens());
        int[] trainLabels = SentimentTraining.labels(train);
        int[] valLabels = SentimentTraining.labels(validation);
        long t1 = System.nanoTime();
        out.printf("  %,d features in %.1f s%n", built.vocabulary().size(), (t1 - t0) / 1e9);

        Engine.getInstance().setRandomSeed((int) config.seed());
        Model model = Model.newInstance("fasttext", "PyTorch");
        FastTextBlock block = new FastTextBlock(built.vocabulary().size() + 1, config.embeddingSize(), (float) config.dropout());
        model.setBlock(block);
        Tracker lr = Tracker.fixed((float) config.lr());
        Optimizer optimizer = config.optimizer().equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(lr).optWeightDecays((float) config.weightDecay()).build()
                : Optimizer.adam().optLearningRateTracker(lr).optWeightDecays((float) config.weightDecay()).build();
        LabbookTrainingListener listener = LabbookTrainingListener.builder(tracker::logMetrics)
                .optBatchInterval(Math.max(1, Math.min(BATCH_LOG_INTERVAL, train.size() / config.batchSize() / 4))).optLearningRate(lr).build();
        DefaultTrainingConfig djl = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .addEvaluator(new Accuracy())
                .optOptimizer(optimizer)
                .addTrainingListeners(TrainingListener.Defaults.basic())
                .addTrainingListeners(listener);
        int bestEpoch = 0;
        int stoppedEpoch = 0;
        try (Trainer trainer = model.newTrainer(djl)) {
            trainer.initialize(new Shape(config.batchSize(), 1));
            double bestLoss = Double.POSITIVE_INFINITY;
            byte[] best = null;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                stoppedEpoch = epoch;
                List<int[]> batches = lengthBuckets(trainIds, config.batchSize(), config.seed() * 31 + epoch);
                try (Progress p = Progress.of(out, String.format("epoch %d/%d", epoch, config.epochs()), batches.size(), "batches")) {
                    for (int[] members : batches) {
                        try (Batch b = batch(trainer, trainIds, trainLabels, members, 0, members.length)) {
                            EasyTrain.trainBatch(trainer, b);
                            trainer.step();
                        }
                        p.advance(1);
                    }
                }
                int[] identity = java.util.stream.IntStream.range(0, valIds.size()).toArray();
                for (int start = 0; start < valIds.size(); start += 1024) {
                    try (Batch b = batch(trainer, valIds, valLabels, identity, start, 1024)) {
                        EasyTrain.validateBatch(trainer, b);
                    }
                }
                trainer.notifyListeners(l -> l.onEpoch(trainer));
                LabbookTrainingListener.EpochMetrics m = listener.epochs().get(listener.epochs().size() - 1);
                out.printf("  epoch %d: train loss %.4f acc %.4f, validation loss %.4f acc %.4f (%.1f s)%n",
                        epoch, m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.seconds());
                double watched = Double.isNaN(m.valLoss()) ? m.trainLoss() : m.valLoss();
                if (watched < bestLoss) {
                    bestLoss = watched;
                    bestEpoch = epoch;
                    best = snapshot(block);
                } else if (epoch - bestEpoch >= config.patience()) {
                    out.printf("  stopping early: no better validation loss for %d epoch(s); keeping epoch %d%n",
                            config.patience(), bestEpoch);
                    break;
                }
            }
            if (best != null && bestEpoch != stoppedEpoch) {
                restore(block, model.getNDManager(), best);
            }
        }
        long t2 = System.nanoTime();
        tracker.logMetrics(Map.of("best_epoch", (double) bestEpoch, "stopped_epoch", (double) stoppedEpoch), stoppedEpoch);
        List<History.Epoch> epochs = new ArrayList<>();
        for (LabbookTrainingListener.EpochMetrics m : listener.epochs()) {
            epochs.add(new History.Epoch(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(),
                    m.learningRate(), m.seconds()));
        }
        FastTextModel trained = new FastTextModel(built.vocabulary(), model, config.embeddingSize(), config.maxTokens(),
                (float) config.dropout());
        return new Trained(trained, new History(epochs), (t1 - t0) / 1e9, (t2 - t1) / 1e9, built.vocabulary().size());
    }

    /**
     * Seeded random batches of texts of similar length: shuffle, sort windows of 32 batches by
     * length, cut into batches, shuffle the batches. Padding to each batch's longest text then
     * wastes little, which roughly halves the work on IMDb's very uneven review lengths.
     */
    static List<int[]> lengthBuckets(List<long[]> docs, int batchSize, long seed) {
        Integer[] order = java.util.Arrays.stream(Splits.shuffled(docs.size(), seed)).boxed().toArray(Integer[]::new);
        int window = batchSize * 32;
        for (int from = 0; from < order.length; from += window) {
            java.util.Arrays.sort(order, from, Math.min(order.length, from + window),
                    java.util.Comparator.comparingInt((Integer i) -> docs.get(i).length).thenComparingInt(i -> i));
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] b = new int[to - from];
            for (int i = from; i < to; i++) {
                b[i - from] = order[i];
            }
            batches.add(b);
        }
        int[] shuffle = Splits.shuffled(batches.size(), seed ^ 0x5DEECE66DL);
        List<int[]> out = new ArrayList<>(batches.size());
        for (int i : shuffle) {
            out.add(batches.get(i));
        }
        return out;
    }

    private static List<long[]> ids(int[][] encoded, int maxTokens) {
        List<long[]> out = new ArrayList<>(encoded.length);
        for (int[] e : encoded) {
            out.add(FastTextModel.ids(e, maxTokens));
        }
        return out;
    }

    private static Batch batch(Trainer trainer, List<long[]> ids, int[] labels, int[] order, int start, int size) {
        int end = Math.min(order.length, start + size);
        NDManager m = trainer.getManager().newSubManager();
        List<long[]> docs = new ArrayList<>(end - start);
        float[] y = new float[end - start];
        for (int i = start; i < end; i++) {
            docs.add(ids.get(order[i]));
            y[i - start] = labels[order[i]];
        }
        return new Batch(m, new NDList(FastTextModel.batch(m, docs)), new NDList(m.create(y)), end - start,
                Batchifier.STACK, Batchifier.STACK, start / size, (order.length + size - 1) / size);
    }

    private static byte[] snapshot(FastTextBlock block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void restore(FastTextBlock block, NDManager manager, byte[] saved) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            block.loadParameters(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException(e);
        }
    }
}
