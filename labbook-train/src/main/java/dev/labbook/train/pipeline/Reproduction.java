package dev.labbook.train.pipeline;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.track.Tracking;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-runs a recorded training: rebuilds its config from the run's params, checks that the data
 * has the digest the run recorded, trains again in a new run tagged {@code labbook.reproduces},
 * and compares the metrics.
 */
public final class Reproduction {
    /** Metrics that measure time or the machine, expected to differ between runs. */
    private static final Set<String> VOLATILE = Set.of("feature_seconds", "train_seconds", "eval_seconds",
            "tracking_seconds", "tracking_overhead");

    private Reproduction() {}

    /** One metric of the original run and of the reproduction. */
    public record Difference(String key, double original, double reproduced) {
        /** reproduced - original. */
        public double delta() {
            return reproduced - original;
        }

        /** Whether the values are the same (NaN equals NaN). */
        public boolean same() {
            return Double.compare(original, reproduced) == 0;
        }
    }

    /** The new run and how its metrics compare, timing metrics left out. */
    public record Outcome(TrainResult result, List<Difference> differences) {
        /** Whether every compared metric is identical. */
        public boolean identical() {
            return differences.stream().allMatch(Difference::same);
        }
    }

    /**
     * Reproduces {@code runId}.
     *
     * @param data a path to read the data from instead of the recorded one, or null
     * @param experiment the experiment to put the new run in (the original's)
     */
    public static Outcome reproduce(Tracking tracking, SentimentTraining training, String runId, Path data, String experiment) {
        Run original = tracking.getRun(runId).orElseThrow(() -> LabbookException.notFound("no run %s in %s", runId, tracking.describe()));
        Map<String, String> params = new LinkedHashMap<>();
        for (Param p : original.data().params()) {
            params.put(p.key(), p.value());
        }
        TrainConfig config = TrainConfig.fromParams(params);
        if (data != null) {
            config = config.withData(data);
        }
        List<DatasetInput> inputs = original.inputs().datasetInputs();
        if (inputs.isEmpty()) {
            throw LabbookException.invalid("run %s recorded no dataset input, so its data cannot be checked", runId);
        }
        String recorded = inputs.get(0).dataset().digest();
        LabeledData loaded = training.load(config);
        if (!loaded.info().shortDigest().equals(recorded)) {
            throw LabbookException.invalid("the data at %s has digest %s but run %s was trained on data with digest %s; "
                    + "pass --data with the data it used", loaded.info().source(), loaded.info().shortDigest(), runId, recorded);
        }
        TrainResult result = training.train(config.withData(Path.of(loaded.info().source())), loaded, experiment, null,
                Map.of("labbook.reproduces", runId));
        List<Difference> diffs = new ArrayList<>();
        for (Metric m : original.data().metrics()) {
            Double now = result.metrics().get(m.key());
            if (now != null && !VOLATILE.contains(m.key())) {
                diffs.add(new Difference(m.key(), m.value(), now));
            }
        }
        diffs.sort(java.util.Comparator.comparing(Difference::key));
        return new Outcome(result, diffs);
    }
}
