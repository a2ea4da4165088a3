package dev.labbook.serving;

import dev.labbook.client.TrackingClient;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.data.TabularLoader;
import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.model.NbLrModel;
import dev.labbook.train.model.NbLrParams;
import dev.labbook.train.model.NbLrTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real NB-LR models trained on the UCI sentences ({@code shared/datasets/uci-sentences}, 3,000
 * short reviews; well under a second each), saved as Labbook model directories, and optionally
 * logged to a run of a real tracking server.
 */
final class TestModels {
    private static LabeledData data;

    private TestModels() {}

    /** {@code shared/datasets}, found by walking up from the working directory. */
    static Path datasets() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate.resolve("uci-sentences"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/datasets/uci-sentences not found above " + Path.of("").toAbsolutePath());
    }

    static synchronized LabeledData data() {
        if (data == null) {
            data = new TabularLoader("text", "label", 0.2, 7).load(datasets().resolve("uci-sentences").resolve("sentences.csv"));
        }
        return data;
    }

    /** Test texts of the data set. */
    static List<String> texts(int n) {
        return data().test().stream().limit(n).map(Review::text).toList();
    }

    /** Trains a model with regularization {@code c} (different values give different scores) and saves it in {@code dir}. */
    static NbLrModel train(double c, Path dir) {
        List<Review> train = data().train();
        NgramConfig ngrams = new NgramConfig(1, 2, 1, 200_000);
        NgramVocabulary.Built built = NgramVocabulary.build(train.stream().map(Review::text).toList(), ngrams);
        int[] labels = train.stream().mapToInt(Review::label).toArray();
        NbLrModel model = new NbLrTrainer(new NbLrParams(c, ngrams, 1.0, 0.1)).train(built.vocabulary(), built.encoded(), labels, 1);
        try {
            model.save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return model;
    }

    /** Logs {@code modelDir} as {@code model/} of a new run on the server, with a metric; returns the run id. */
    static String logRun(TrackingClient client, Path modelDir, double accuracy) {
        String exp = client.getOrCreateExperiment("serving-tests");
        Run run = client.createRun(exp, "train", System.currentTimeMillis(), List.of());
        String runId = run.info().runId();
        client.logBatch(runId, List.of(new Metric("test_accuracy", accuracy, System.currentTimeMillis(), 0)), List.of(), List.of());
        client.uploadArtifacts(run.info().artifactUri(), "model", modelDir);
        return runId;
    }
}
