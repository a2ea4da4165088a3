package dev.labbook.train.pipeline;

import dev.labbook.core.model.RunStatus;
import dev.labbook.core.provenance.CodeVersion;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.DataSources;
import dev.labbook.train.data.DatasetInputs;
import dev.labbook.train.data.Download;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.data.Splits;
import dev.labbook.train.eval.Evaluation;
import dev.labbook.train.eval.Evaluator;
import dev.labbook.train.track.TimedTracker;
import dev.labbook.train.track.Tracker;
import dev.labbook.train.track.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sentiment training pipeline, tracked end to end: load and check the data, carve a seeded
 * validation split, start a run, log params and the dataset input, train, evaluate on the test
 * part, log metrics and artifacts, finish. Config and data are checked before the run starts;
 * a failure after it started marks the run FAILED, never FINISHED.
 */
public final class SentimentTraining {
    /** Experiment tags naming the metric that ranks runs, and whether higher or lower is better. */
    public static final String PRIMARY_METRIC_TAG = "labbook.primary_metric";
    public static final String PRIMARY_GOAL_TAG = "labbook.primary_goal";

    private final Tracking tracking;
    private final PrintStream out;
    private final String envDataDir;
    private final Path cacheDir;

    /**
     * @param out progress and results; pass a stream on {@code OutputStream.nullOutputStream()} for silence
     * @param envDataDir the value of {@code LABBOOK_DATA_DIR}, or null
     * @param cacheDir where downloads are cached
     */
    public SentimentTraining(Tracking tracking, PrintStream out, String envDataDir, Path cacheDir) {
        this.tracking = tracking;
        this.out = out;
        this.envDataDir = envDataDir;
        this.cacheDir = cacheDir;
    }

    /** A pipeline reading {@code LABBOOK_DATA_DIR} and caching downloads in the default folder. */
    public static SentimentTraining withDefaults(Tracking tracking, PrintStream out) {
        return new SentimentTraining(tracking, out, System.getenv(DataSources.DATA_DIR_ENV), Download.defaultCacheDir());
    }

    /** Loads the data {@code config} names (downloading IMDb if nothing local is given). */
    public LabeledData load(TrainConfig config) {
        Path path = DataSources.locate(config.data(), envDataDir, cacheDir, out);
        DataSources.Request request = new DataSources.Request(path, config.textColumn(), config.labelColumn(),
                config.limitPerClass(), config.testFraction(), config.seed());
        return DataSources.load(path, request, out);
    }

    /** Loads the data and trains; see {@link #train(TrainConfig, LabeledData, String, String, Map)}. */
    public TrainResult run(TrainConfig config, String experiment, String runName, Map<String, String> tags) {
        Recipe.of(config.model());
        LabeledData data = load(config);
        return train(config.withData(Path.of(data.info().source())), data, experiment, runName, tags);
    }

    /** Trains on already loaded data in a new run of {@code experiment}. */
    public TrainResult train(TrainConfig config, LabeledData data, String experiment, String runName, Map<String, String> tags) {
        Recipe recipe = Recipe.of(config.model());
        data.requireUsable();
        Splits.Split split = Splits.carve(data.train(), config.valFraction(), config.seed());
        new LabeledData(split.rest(), data.test(), data.info()).requireUsable();
        out.printf("data: %s (%,d train, %,d validation, %,d test; digest %s)%n", data.info().source(),
                split.rest().size(), split.carved().size(), data.test().size(), data.info().shortDigest());

        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.put("labbook.model", config.model());
        allTags.putIfAbsent("mlflow.source.name", "labbook train sentiment");
        allTags.putIfAbsent("mlflow.source.type", "LOCAL");
        allTags.putIfAbsent("mlflow.user", System.getProperty("user.name", "labbook"));
        // the code version, also when tracking into a local store (the SDK captures it on its own)
        CodeVersion.tags().forEach(allTags::putIfAbsent);
        String name = runName != null ? runName : RunNames.unique(RunNames.of(config), tracking.runNames(experiment, RunNames.of(config)));
        TimedTracker tracker = new TimedTracker(tracking.startRun(experiment, name, allTags));
        Path scratch = null;
        Recipe.Trained trained = null;
        try {
            out.printf("run %s started in experiment '%s' (%s)%n", tracker.runId(), experiment, tracking.describe());
            try {
                // the metric the dashboard leads with, unless the experiment already has one
                tracking.tagExperimentIfUntagged(experiment, Map.of(PRIMARY_METRIC_TAG, "test_accuracy", PRIMARY_GOAL_TAG, "maximize"));
            } catch (RuntimeException e) {
                out.printf("note: could not set the experiment's primary metric: %s%n", e.getMessage());
            }
            tracker.logParams(config.asParams());
            tracker.logDatasetInput(DatasetInputs.of(data));
            trained = recipe.train(split.rest(), split.carved(), config, tracker, out);

            long e0 = System.nanoTime();
            out.printf("evaluating on %,d test reviews...%n", data.test().size());
            int[] labels = labels(data.test());
            double[] scores = trained.model().scoreAll(texts(data.test()));
            Evaluation test = Evaluator.evaluate(labels, scores);
            Evaluation val = split.carved().isEmpty() ? null
                    : Evaluator.evaluate(labels(split.carved()), trained.model().scoreAll(texts(split.carved())));
            double evalSeconds = (System.nanoTime() - e0) / 1e9;

            Map<String, Double> metrics = new LinkedHashMap<>(test.asMetrics("test_"));
            if (val != null) {
                metrics.putAll(val.asMetrics("val_"));
            }
            metrics.put("feature_seconds", trained.featureSeconds());
            metrics.put("train_seconds", trained.trainSeconds());
            metrics.put("eval_seconds", evalSeconds);
            metrics.put("vocabulary_size", (double) trained.vocabularySize());
            metrics.put("train_rows", (double) split.rest().size());
            metrics.put("val_rows", (double) split.carved().size());
            metrics.put("test_rows", (double) data.test().size());
            tracker.logMetrics(metrics, 0);

            scratch = Files.createTempDirectory("labbook-run-");
            RunArtifacts.log(tracker, scratch, config, data.info(), trained.model(), trained.history(),
                    data.test(), labels, scores, test, metrics);
            double trackingSeconds = tracker.seconds();
            double work = trained.featureSeconds() + trained.trainSeconds();
            tracker.logMetrics(Map.of("tracking_seconds", trackingSeconds,
                    "tracking_overhead", work > 0 ? trackingSeconds / work : 0.0), 0);
            tracker.finish(RunStatus.FINISHED);
            metrics.put("tracking_seconds", trackingSeconds);
            return new TrainResult(tracker.runId(), test, val, metrics, trained.featureSeconds(), trained.trainSeconds(),
                    trackingSeconds);
        } catch (IOException e) {
            fail(tracker, e);
            throw new UncheckedIOException("cannot write the run's artifacts", e);
        } catch (RuntimeException | Error e) {
            fail(tracker, e);
            throw e;
        } finally {
            deleteQuietly(scratch);
            if (trained != null && trained.model() instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
        }
    }

    private void fail(Tracker tracker, Throwable cause) {
        try {
            tracker.finish(RunStatus.FAILED);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        out.printf("run %s FAILED%n", tracker.runId());
    }

    static int[] labels(List<Review> reviews) {
        return reviews.stream().mapToInt(Review::label).toArray();
    }

    static List<String> texts(List<Review> reviews) {
        return reviews.stream().map(Review::text).toList();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // native memory of a model no longer used; nothing to do if it cannot be freed
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
