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
import dev.labbook.train.track.TrainedModel;
import dev.labbook.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's artifacts into a scratch folder and logs them: {@code model/} (weights,
 * vocabulary, {@code MLmodel}; also an MLflow 3 logged model where the store has them), {@code config.json}, {@code plots/*.png} and
 * {@code mistakes.tsv} (the 50 most confident test mistakes).
 */
final class RunArtifacts {
    static final int MISTAKES = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunArtifacts() {}

    static void log(Tracker tracker, Path scratch, TrainConfig config, DataInfo data, SentimentModel model, History history,
                    List<Review> test, int[] labels, double[] scores, Evaluation evaluation, Map<String, Double> metrics)
            throws IOException {
        Path modelDir = scratch.resolve("model");
        model.save(modelDir);
        tracker.logModel(modelDir, "model", new TrainedModel("sentiment-" + model.flavor(), model.flavor(),
                config.asParams(), evaluationMetrics(metrics)));

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

    /** The metrics that describe the model itself (test and validation), not the run's timings. */
    private static Map<String, Double> evaluationMetrics(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if ((k.startsWith("test_") || k.startsWith("val_")) && !k.endsWith("_rows") && v != null && Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
