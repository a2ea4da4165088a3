package dev.labbook.server.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Demo data for the dashboard tests and the dev server: a small sentiment-analysis experiment. */
final class Seed {
    static final String EXPERIMENT = "imdb-sentiment";
    static final double[] LRS = {0.1, 0.03, 0.01, 0.003};
    static final String[] MODELS = {"logreg", "fasttext"};

    /** The run ids, in creation order. */
    final List<String> runIds = new java.util.ArrayList<>();
    final String experimentId;

    private Seed(String experimentId) {
        this.experimentId = experimentId;
    }

    /** Creates the experiment with 8 finished runs: lr x model, with loss, accuracy and system metrics. */
    static Seed imdb(Rest rest, int steps) {
        Seed s = new Seed(rest.createExperiment(EXPERIMENT));
        long t0 = System.currentTimeMillis() - 3_600_000L;
        int i = 0;
        for (String model : MODELS) {
            for (double lr : LRS) {
                long start = t0 + i * 60_000L;
                String name = model + "-lr" + lr;
                String run = rest.createRun(s.experimentId, name, start);
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("lr", lr);
                params.put("model", model);
                params.put("batch_size", model.equals("logreg") ? 512 : 256);
                params.put("epochs", 3);
                rest.params(run, params);
                rest.tags(run, Map.of("mlflow.source.git.commit", "3f2a9c1d0b7e4a6f8c5d2e1b0a9f8e7d6c5b4a39",
                        "mlflow.source.name", "dev.labbook.train.Main", "labbook.command", "labbook train --model " + model + " --lr " + lr,
                        "team", "nlp"));
                Random rnd = new Random(i);
                final int k = i;
                double floor = 0.25 + 0.05 * i;
                rest.metric(run, "loss", 0, steps, start, st -> floor + Math.exp(-st * lr / 20.0) + 0.03 * rnd.nextGaussian());
                rest.metric(run, "accuracy", 0, steps, start, st -> 0.5 + (0.41 - 0.01 * k) * (1 - Math.exp(-st * lr / 15.0)));
                rest.metric(run, "system/cpu_utilization_percentage", 0, Math.max(2, steps / 10), start,
                        st -> 40 + 30 * rnd.nextDouble());
                rest.finish(run, "FINISHED", start + steps * 1000L);
                s.runIds.add(run);
                i++;
            }
        }
        return s;
    }
}
