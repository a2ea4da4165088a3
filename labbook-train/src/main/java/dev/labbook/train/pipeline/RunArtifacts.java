package dev.labbook.train.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.DataInfo;
import dev.labbook.train.data.Review;
import dev.labbook.train.eval.Evaluation;
import dev.labbook.train.eval.Evaluator;
import dev.labbook.train.eval.Mistakes;
import dev.labbook.train.model.SentimentModel;
import dev.labbook.train.plot.Plots;
import dev.labbook.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's artifacts into a scratch folder and logs them: {@code model/} (weights,
 * vocabulary, {@code MLmodel}), {@code config.json}, {@code plots/*.png} and
 * {@code mistakes.tsv} (the 50 most confident test mistakes).
 */
final class RunArtifacts {
    static final int MISTAKES = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunArtifacts() {}

    static void log(Tracker tracker, Path scratch, TrainConfig config, DataInfo data, SentimentModel model, History history,
                    List<Review> test, int[] labels, double[] scores, Evaluation evaluation) throws IOException {
        Path modelDir = scratch.resolve("model");
        model.save(modelDir);
        tracker.logArtifact(modelDir, "model");

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("params", config.asParams());
        cfg.put("data", data);
        cfg.put("java", System.getProperty("java.version"));
        Path configFile = scratch.resolve("config.json");
        JSON.writeValue(configFile.toFile(), cfg);
        tracker.logArtifact(configFile, "");

        Path plots = Files.createDirectories(scratch.resolve("plots"));
        if (!history.epochs().isEmpty()) {
            Plots.learningCurves(history, plots.resolve("learning_curves.png"));
        }
        Plots.roc(Evaluator.roc(labels, scores), evaluation.rocAuc(), plots.resolve("roc_curve.png"));
        Plots.confusionMatrix(evaluation, plots.resolve("confusion_matrix.png"));
        Plots.scoreHistogram(labels, scores, plots.resolve("score_histogram.png"));
        tracker.logArtifact(plots, "plots");

        Path mistakes = scratch.resolve("mistakes.tsv");
        Files.writeString(mistakes, Mistakes.toTsv(Mistakes.top(test, scores, MISTAKES)));
        tracker.logArtifact(mistakes, "");
    }
}
