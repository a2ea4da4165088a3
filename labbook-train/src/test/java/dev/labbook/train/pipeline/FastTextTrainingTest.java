package dev.labbook.train.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;
import dev.labbook.train.TestData;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.model.FastTextModel;
import dev.labbook.train.model.Models;
import dev.labbook.train.track.InMemoryTracking;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL fastText model on a few hundred real reviews: one small run, tracked through the listener. */
class FastTextTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static TrainConfig fasttext(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(TrainConfig.defaults("fasttext").asParams());
        p.put("min_count", "2");
        p.put("epochs", "2");
        p.put("batch_size", "32");
        p.put("embedding_size", "16");
        p.put("lr", "0.05");
        p.put("patience", "1");
        p.putAll(overrides);
        return TrainConfig.fromParams(p);
    }

    @Test
    void trainsLogsEpochFiguresAndItsSavedModelPredictsTheSame(@TempDir Path dir) throws Exception {
        InMemoryTracking tracking = new InMemoryTracking(dir);
        SentimentTraining training = new SentimentTraining(tracking, QUIET, null, dir);
        LabeledData data = TestData.smallImdb();
        TrainResult result = training.train(fasttext(Map.of()), data, "e", "ft", Map.of());

        InMemoryTracking.Recorded rec = tracking.recorded(result.runId());
        assertEquals(RunStatus.FINISHED, rec.status());
        Set<String> keys = rec.metricHistory().stream().map(Metric::key).collect(Collectors.toSet());
        for (String k : List.of("batch_loss", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "learning_rate",
                "epoch_seconds", "best_epoch", "test_accuracy", "test_roc_auc")) {
            assertTrue(keys.contains(k), k + " in " + keys);
        }
        List<Metric> epochLoss = rec.metricHistory().stream().filter(m -> m.key().equals("train_loss")).toList();
        assertEquals(1L, epochLoss.get(0).step());
        assertTrue(result.test().accuracy() > 0.6, "accuracy " + result.test().accuracy());
        assertTrue(Files.isRegularFile(rec.artifactDir().resolve("plots/learning_curves.png")));
        assertTrue(Files.isRegularFile(rec.artifactDir().resolve("model/weights.params")));

        Path downloaded = tracking.downloadArtifact(result.runId(), "model", dir.resolve("downloaded"));
        List<String> texts = data.test().stream().map(Review::text).toList();
        try (FastTextModel loaded = (FastTextModel) Models.load(downloaded)) {
            double[] scores = loaded.scoreAll(texts);
            assertEquals(result.test(), dev.labbook.train.eval.Evaluator.evaluate(
                    data.test().stream().mapToInt(Review::label).toArray(), scores));
            assertArrayEquals(new double[] {scores[0]}, new double[] {loaded.score(texts.get(0))}, 1e-6);
        }
    }

    @Test
    void theSameSeedGivesTheSameMetrics(@TempDir Path dir) {
        SentimentTraining training = new SentimentTraining(new InMemoryTracking(dir), QUIET, null, dir);
        TrainConfig config = fasttext(Map.of("epochs", "1", "dropout", "0.2"));
        TrainResult a = training.train(config, TestData.smallImdb(), "e", null, Map.of());
        TrainResult b = training.train(config, TestData.smallImdb(), "e", null, Map.of());
        assertEquals(a.test(), b.test());
    }

    @Test
    void batchesGroupSimilarLengthsAndCoverEveryTextOnce() {
        List<long[]> docs = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(new long[(i * 7919) % 300 + 1]);
        }
        List<int[]> batches = FastTextRecipe.lengthBuckets(docs, 10, 3);
        assertEquals(100, batches.size());
        assertEquals(1000, batches.stream().flatMapToInt(java.util.Arrays::stream).distinct().count());
        assertEquals(batches.stream().map(java.util.Arrays::toString).toList(),
                FastTextRecipe.lengthBuckets(docs, 10, 3).stream().map(java.util.Arrays::toString).toList());
    }
}
