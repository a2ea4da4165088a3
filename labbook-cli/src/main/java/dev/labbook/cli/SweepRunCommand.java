package dev.labbook.cli;

import dev.labbook.client.sweep.SweepAgent;
import dev.labbook.core.LabbookException;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.config.SweepConfigParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labbook sweep run FILE}: creates a sweep and runs it here with K agents, printing the leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Create a sweep and run it on this machine with K agents; prints each trial as it ends and the leaderboard.")
final class SweepRunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--agents", defaultValue = "1", description = "Agents running trials side by side (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--tracking-uri", description = "Where the sweep and its runs go (default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Option(names = "--experiment-id", description = "Experiment of the sweep's runs (default: the file's experiment, else Default).")
    String experimentId;

    @Option(names = "--grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a pruned trial gets between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--top", defaultValue = "10", description = "Trials shown in the leaderboard (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        if (agents < 1) {
            throw LabbookException.invalid("--agents must be at least 1, got %d", agents);
        }
        String text = SweepCreateCommand.read(file);
        SweepConfigParser.parse(text); // a bad file fails before anything is created
        try (SweepCommand.Endpoint e = SweepCommand.Endpoint.open(trackingUri)) {
            Sweep sweep = e.sweeps.createSweep(text, experimentId);
            System.out.printf("Sweep %s (%s): experiment %s, parent run %s, %d agent(s)%n", sweep.sweepId(), sweep.name(),
                    sweep.experimentId(), sweep.parentRunId(), agents);
            ExecutorService pool = Executors.newFixedThreadPool(agents);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int a = 0; a < agents; a++) {
                    SweepAgent.Options o = SweepAgent.Options.defaults().withAgentId(SweepAgent.defaultAgentId() + ":" + a);
                    running.add(pool.submit(() -> SweepAgentCommand.run(e, sweep.sweepId(), 0, Duration.ofSeconds(graceSeconds), o)));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            Sweep after = e.sweeps.getSweep(sweep.sweepId());
            var config = SweepConfigParser.parse(after.config());
            var trials = e.sweeps.listTrials(sweep.sweepId());
            Leaderboard.print(System.out, config, trials, top);
            Leaderboard.printBest(System.out, config, trials, e.client());
            System.out.printf("Sweep %s %s%n", after.sweepId(), after.state());
        }
        return 0;
    }
}
