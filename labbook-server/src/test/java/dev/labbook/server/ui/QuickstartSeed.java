package dev.labbook.server.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs shaped like those of {@code labbook quickstart}: two models in four configurations, each
 * with metrics logged once (test_accuracy, test_f1, eval_seconds, vocabulary_size = 145,207 ...),
 * per-epoch series of a few points (train_loss, val_accuracy), a batch_loss only the fastText
 * runs have, a val_loss of one point for nblr and 100 for fastText, and system metrics.
 */
final class QuickstartSeed {
    static final String[] NAMES = {"nblr-c1.0-ng1", "nblr-c1.0-ng2", "fasttext-lr0.1-e3", "fasttext-lr0.3-e3"};
    static final double[] TEST_ACCURACY = {0.861, 0.897, 0.872, 0.884};

    final String experimentId;
    final List<String> runIds = new ArrayList<>();

    private QuickstartSeed(String experimentId) {
        this.experimentId = experimentId;
    }

    static QuickstartSeed create(Rest rest, String experiment) {
        QuickstartSeed s = new QuickstartSeed(rest.createExperiment(experiment));
        long t0 = System.currentTimeMillis() - 3_600_000L;
        for (int i = 0; i < NAMES.length; i++) {
            long start = t0 + i * 120_000L;
            String run = rest.createRun(s.experimentId, NAMES[i], start);
            boolean fasttext = NAMES[i].startsWith("fasttext");
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("model", fasttext ? "fasttext" : "nblr");
            params.put("ngrams", fasttext ? 2 : (i + 1));
            params.put("lr", fasttext ? (i == 2 ? 0.1 : 0.3) : "");
            rest.params(run, params);
            final int k = i;
            rest.metric(run, "test_accuracy", 0, 1, start, st -> TEST_ACCURACY[k]);
            rest.metric(run, "test_f1", 0, 1, start, st -> TEST_ACCURACY[k] - 0.004);
            rest.metric(run, "eval_seconds", 0, 1, start, st -> 1.5 + k);
            rest.metric(run, "vocabulary_size", 0, 1, start, st -> 145_207 + 1000 * k);
            rest.metric(run, "val_accuracy", 0, 3, start, st -> TEST_ACCURACY[k] - 0.05 + 0.02 * st);
            rest.metric(run, "train_loss", 0, 3, start, st -> 0.6 - 0.1 * st - 0.01 * k);
            if (fasttext) {
                rest.metric(run, "batch_loss", 0, 300, start, st -> 0.7 * Math.exp(-st / 80.0) + 0.2);
            }
            // a lone point beside long series: nblr logs its validation loss once, fastText per batch
            rest.metric(run, "val_loss", 0, fasttext ? 100 : 1, start, st -> 0.35 + 0.2 * Math.exp(-st / 30.0) - 0.01 * k);
            rest.metric(run, "system/cpu_utilization_percentage", 0, 5, start, st -> 50 + 5 * st);
            rest.finish(run, "FINISHED", start + 60_000L);
            s.runIds.add(run);
        }
        return s;
    }
}
