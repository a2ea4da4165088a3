package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Run;
import dev.labbook.train.pipeline.Reproduction;
import dev.labbook.train.pipeline.SentimentTraining;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labbook runs reproduce RUN_ID}: trains again with the run's recorded params after
 * checking the data digest, then reports how the metrics differ.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Train again with a run's recorded params and data (digest checked), and report the metric differences.")
final class ReproduceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to reproduce.")
    String runId;

    @Option(names = "--data", description = "Read the data from here instead of the recorded path (the digest must match).")
    Path data;

    /** Where the run is; its reproduction goes there too. */
    @Mixin
    TrackingOptions tracking = new TrackingOptions();

    @Override
    public Integer call() {
        try (CliTracking t = tracking.open()) {
            Run run = t.getRun(runId).orElseThrow(() -> LabbookException.notFound("no run %s in %s", runId, t.describe()));
            String experiment = t.experimentName(run.info().experimentId());
            Reproduction.Outcome outcome = Reproduction.reproduce(t, SentimentTraining.withDefaults(t, System.out),
                    runId, data == null ? null : data.toAbsolutePath(), experiment);
            Reports.printResult(System.out, outcome.result());
            System.out.printf("%nmetrics of %s (original) and %s (reproduction):%n", runId, outcome.result().runId());
            System.out.printf(Locale.ROOT, "  %-18s %14s %14s %12s%n", "metric", "original", "reproduced", "difference");
            for (Reproduction.Difference d : outcome.differences()) {
                System.out.printf(Locale.ROOT, "  %-18s %14.6f %14.6f %12.3g%n", d.key(), d.original(), d.reproduced(), d.delta());
            }
            System.out.println(outcome.identical() ? "reproduced exactly: every metric is identical"
                    : "the metrics differ (see above)");
            t.requireDelivered();
            return 0;
        }
    }
}
