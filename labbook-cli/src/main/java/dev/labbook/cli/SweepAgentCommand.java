package dev.labbook.cli;

import dev.labbook.client.sweep.SweepAgent;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labbook sweep agent SWEEP_ID}: runs the sweep's trials, one after another, as processes. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run trials of a sweep one after another, each as the sweep's command in its own process.",
            "Start agents on as many machines as reach the tracking server: they share the sweep."})
final class SweepAgentCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP_ID")
    String sweepId;

    @Option(names = "--count", defaultValue = "0", description = "Run at most this many trials (default: until the sweep is done).")
    int count;

    @Option(names = "--tracking-uri", description = "Where the sweep lives (default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Option(names = "--grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a pruned trial gets between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Override
    public Integer call() {
        try (SweepCommand.Endpoint e = SweepCommand.Endpoint.open(trackingUri)) {
            List<Trial> done = run(e, sweepId, count, Duration.ofSeconds(graceSeconds), SweepAgent.Options.defaults());
            System.out.printf("Agent done: %d trial(s)%n", done.size());
        }
        return 0;
    }

    /** Runs an agent of {@code sweepId} whose trials are processes, printing a line per ended trial. */
    static List<Trial> run(SweepCommand.Endpoint e, String sweepId, int count, Duration grace, SweepAgent.Options options) {
        Sweep sweep = e.sweeps.getSweep(sweepId);
        SweepConfig config = SweepConfigParser.parse(sweep.config());
        ProcessTrialRunner runner = new ProcessTrialRunner(sweep, config, e.trialUri, grace, Path.of("").toAbsolutePath());
        return SweepAgent.run(e.sweeps, sweepId, options.withCount(count).withOnFinished(t -> {
            synchronized (System.out) {
                System.out.println(Leaderboard.line(config, t));
            }
        }), runner);
    }
}
