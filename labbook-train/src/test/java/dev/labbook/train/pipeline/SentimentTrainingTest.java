package dev.labbook.train.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.train.TestData;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.model.Models;
import dev.labbook.train.model.SentimentModel;
import dev.labbook.train.track.InMemoryTracking;
import dev.labbook.train.track.Tracker;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NB-LR trained end to end on a small subset of the real IMDb data, tracked in memory. */
class SentimentTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static TrainConfig nblr(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(TrainConfig.defaults("nblr").asParams());
        p.put("min_count", "1");
        p.putAll(overrides);
        return TrainConfig.fromParams(p);
    }

    @Test
    void aRunLogsParamsDataMetricsAndArtifactsAndItsModelRoundTrips(@TempDir Path dir) throws Exception {
        InMemoryTracking tracking = new InMemoryTracking(dir);
        SentimentTraining training = new SentimentTraining(tracking, QUIET, null, dir.resolve("cache"));
        LabeledData data = TestData.smallImdb();
        TrainResult result = training.train(nblr(Map.of()), data, "imdb-sentiment", "small", Map.of());

        InMemoryTracking.Recorded rec = tracking.recorded(result.runId());
        assertEquals(RunStatus.FINISHED, rec.status());
        Run run = tracking.getRun(result.runId()).orElseThrow();
        Map<String, String> params = new HashMap<>();
        run.data().params().forEach(p -> params.put(p.key(), p.value()));
        assertEquals("nblr", params.get("model"));
        assertEquals("1.0", params.get("c"));
        assertEquals("1..3", params.get("ngrams"));
        Map<String, Double> metrics = new HashMap<>();
        run.data().metrics().forEach(m -> metrics.put(m.key(), m.value()));
        for (String k : List.of("test_accuracy", "test_precision", "test_recall", "test_f1", "test_roc_auc",
                "test_log_loss", "test_tp", "test_fp", "test_tn", "test_fn", "val_accuracy", "tracking_seconds")) {
            assertTrue(metrics.containsKey(k), k);
        }
        assertTrue(result.test().accuracy() > 0.7, "accuracy " + result.test().accuracy());
        assertEquals(data.test().size(), result.test().count());

        DatasetInput input = run.inputs().datasetInputs().get(0);
        assertEquals("imdb", input.dataset().name());
        assertEquals(data.info().shortDigest(), input.dataset().digest());
        assertTrue(input.dataset().profile().contains("\"test_rows\": 300"));

        Path artifacts = rec.artifactDir();
        for (String f : List.of("model/MLmodel", "model/vocabulary.txt", "model/weights.bin", "config.json", "mistakes.tsv",
                "plots/roc_curve.png", "plots/confusion_matrix.png", "plots/score_histogram.png")) {
            assertTrue(Files.isRegularFile(artifacts.resolve(f)), f);
        }
        assertTrue(Files.readString(artifacts.resolve("model/MLmodel")).contains("\"flavor\" : \"nblr\""));
        assertTrue(Files.readAllLines(artifacts.resolve("mistakes.tsv")).size() <= 51);

        // a model downloaded from the run predicts exactly what the evaluated one did
        Path downloaded = tracking.downloadArtifact(result.runId(), "model", dir.resolve("downloaded"));
        SentimentModel loaded = Models.load(downloaded);
        double[] scores = loaded.scoreAll(data.test().stream().map(Review::text).toList());
        int right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += (scores[i] >= 0.5 ? 1 : 0) == data.test().get(i).label() ? 1 : 0;
        }
        assertEquals(result.test().accuracy(), right / (double) scores.length, 0.0);
        assertEquals(result.test().logLoss(), dev.labbook.train.eval.Evaluator.evaluate(
                data.test().stream().mapToInt(Review::label).toArray(), scores).logLoss(), 0.0);
        assertEquals("positive", loaded.predict("A wonderful, moving film. Brilliant acting!").label());
    }

    @Test
    void theSameSeedAndDataGiveIdenticalMetrics(@TempDir Path dir) {
        InMemoryTracking tracking = new InMemoryTracking(dir);
        SentimentTraining training = new SentimentTraining(tracking, QUIET, null, dir);
        TrainResult a = training.train(nblr(Map.of()), TestData.smallImdb(), "e", null, Map.of());
        TrainResult b = training.train(nblr(Map.of()), TestData.smallImdb(), "e", null, Map.of());
        assertEquals(a.test(), b.test());
        assertEquals(a.validation(), b.validation());
    }

    @Test
    void badConfigsAndDataFailBeforeAnyRunStarts(@TempDir Path dir) {
        InMemoryTracking tracking = new InMemoryTracking(dir);
        SentimentTraining training = new SentimentTraining(tracking, QUIET, null, dir);
        assertTrue(assertThrows(LabbookException.class, () -> nblr(Map.of("c", "-1"))).getMessage().contains("--c"));
        assertTrue(assertThrows(LabbookException.class, () -> nblr(Map.of("model", "svm"))).getMessage().contains("unknown model"));
        assertThrows(LabbookException.class, () -> nblr(Map.of("ngrams", "1..5")));
        assertThrows(LabbookException.class, () -> nblr(Map.of("val_fraction", "0.9")));
        LabeledData d = TestData.smallImdb();
        List<Review> positives = d.train().stream().filter(r -> r.label() == 1).toList();
        LabeledData oneClass = new LabeledData(positives, d.test(), d.info());
        assertThrows(LabbookException.class, () -> training.train(nblr(Map.of()), oneClass, "e", null, Map.of()));
        assertThrows(LabbookException.class, () -> training.run(nblr(Map.of()).withData(dir.resolve("missing.tar.gz")), "e", null, Map.of()));
        assertEquals(0, tracking.all().size());
    }

    @Test
    void aFailureDuringTheRunMarksItFailed(@TempDir Path dir) {
        InMemoryTracking inner = new InMemoryTracking(dir);
        InMemoryTracking.Recorded[] started = new InMemoryTracking.Recorded[1];
        dev.labbook.train.track.Tracking failingArtifacts = new dev.labbook.train.track.Tracking() {
            @Override
            public Tracker startRun(String experiment, String runName, Map<String, String> tags) {
                started[0] = inner.startRun(experiment, runName, tags);
                return new ForwardingTracker(started[0]) {
                    @Override
                    public void logArtifact(Path local, String artifactPath) {
                        throw new IllegalStateException("disk full");
                    }
                };
            }

            @Override
            public java.util.Optional<Run> getRun(String runId) {
                return inner.getRun(runId);
            }

            @Override
            public Path downloadArtifact(String runId, String artifactPath, Path target) {
                return inner.downloadArtifact(runId, artifactPath, target);
            }

            @Override
            public String describe() {
                return "failing";
            }

            @Override
            public void close() {}
        };
        SentimentTraining training = new SentimentTraining(failingArtifacts, QUIET, null, dir);
        assertThrows(IllegalStateException.class, () -> training.train(nblr(Map.of()), TestData.smallImdb(), "e", null, Map.of()));
        assertEquals(RunStatus.FAILED, started[0].status());
    }

    /** A tracker passing everything to another, for tests to override one method. */
    static class ForwardingTracker implements Tracker {
        private final Tracker inner;

        ForwardingTracker(Tracker inner) {
            this.inner = inner;
        }

        @Override
        public String runId() {
            return inner.runId();
        }

        @Override
        public void logParams(Map<String, String> params) {
            inner.logParams(params);
        }

        @Override
        public void logMetrics(Map<String, Double> metrics, long step) {
            inner.logMetrics(metrics, step);
        }

        @Override
        public void logArtifact(Path local, String artifactPath) {
            inner.logArtifact(local, artifactPath);
        }

        @Override
        public void logDatasetInput(DatasetInput input) {
            inner.logDatasetInput(input);
        }

        @Override
        public void setTag(String key, String value) {
            inner.setTag(key, value);
        }

        @Override
        public void finish(RunStatus status) {
            inner.finish(status);
        }
    }
}
