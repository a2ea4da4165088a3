package dev.labbook.cli;

import dev.labbook.client.TrackingClient;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.Goal;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.space.Values;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A sweep's trials as text: one line per ended trial as it goes, and the best trials at the end. */
final class Leaderboard {
    private Leaderboard() {}

    /** {@code trial 3 COMPLETE val_accuracy=0.8812 c=0.5 ngrams=1..2 (run ...)}. */
    static String line(SweepConfig config, Trial t) {
        String metric = config.metric() == null ? "value" : config.metric().name();
        return String.format("trial %d %s %s=%s %s (run %s%s)", t.number(), t.state(), metric,
                t.value() == null ? "-" : format(t.value()), params(t.params()), t.runId(),
                t.prunedAtStep() == null ? "" : ", pruned at step " + t.prunedAtStep());
    }

    /** The best {@code top} complete trials, best first. */
    static void print(PrintStream out, SweepConfig config, List<Trial> trials, int top) {
        Goal goal = config.metric() == null ? Goal.MINIMIZE : config.metric().goal();
        List<Trial> ranked = trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.value() != null)
                .sorted(Comparator.comparingDouble((Trial t) -> goal.loss(t.value())).thenComparingInt(Trial::number))
                .limit(top).toList();
        Map<TrialState, Long> counts = trials.stream().collect(Collectors.groupingBy(Trial::state, Collectors.counting()));
        out.printf("Leaderboard (%s %s; %d trials: %s)%n", goal.name().toLowerCase(),
                config.metric() == null ? "value" : config.metric().name(), trials.size(), counts);
        int rank = 1;
        for (Trial t : ranked) {
            out.printf("%3d. trial %-4d %-12s %s%n", rank++, t.number(), format(t.value()), params(t.params()));
        }
    }

    /**
     * The best trial's run and everything it logged, e.g. the test accuracy a sweep on validation
     * accuracy never looked at; nothing when no trial completed.
     */
    static void printBest(PrintStream out, SweepConfig config, List<Trial> trials, TrackingClient client) {
        Goal goal = config.metric() == null ? Goal.MINIMIZE : config.metric().goal();
        trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.value() != null)
                .min(Comparator.comparingDouble((Trial t) -> goal.loss(t.value())).thenComparingInt(Trial::number))
                .ifPresent(best -> {
                    Run run = client.getRun(best.runId());
                    String metrics = run.data().metrics().stream().sorted(Comparator.comparing(Metric::key))
                            .map(m -> m.key() + "=" + format(m.value())).collect(Collectors.joining(" "));
                    out.printf("Best: trial %d, run %s: %s%n      metrics: %s%n", best.number(), best.runId(),
                            params(best.params()), metrics);
                });
    }

    private static String params(Map<String, Object> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + Values.format(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String format(double v) {
        return String.format("%.6g", v);
    }
}
