package dev.labbook.cli;

import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.config.SweepConfigParser;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labbook sweep show SWEEP_ID}: the sweep's state and leaderboard. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a sweep's state and leaderboard.")
final class SweepShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP_ID")
    String sweepId;

    @Option(names = "--tracking-uri", description = "Where the sweep lives (default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Option(names = "--top", defaultValue = "10", description = "Trials shown (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
        try (SweepCommand.Endpoint e = SweepCommand.Endpoint.open(trackingUri)) {
            Sweep s = e.sweeps.getSweep(sweepId);
            System.out.printf("Sweep %s (%s) %s: experiment %s, parent run %s%n", s.sweepId(), s.name(), s.state(),
                    s.experimentId(), s.parentRunId());
            var config = SweepConfigParser.parse(s.config());
            var trials = e.sweeps.listTrials(sweepId);
            Leaderboard.print(System.out, config, trials, top);
            Leaderboard.printBest(System.out, config, trials, e.client());
        }
        return 0;
    }
}
