package dev.labbook.cli;

import dev.labbook.sweep.Sweep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labbook sweep stop SWEEP_ID}: no new trials; running ones may finish. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a sweep: agents get no new trials; running ones may finish.")
final class SweepStopCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP_ID")
    String sweepId;

    @Option(names = "--tracking-uri", description = "Where the sweep lives (default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Override
    public Integer call() {
        try (SweepCommand.Endpoint e = SweepCommand.Endpoint.open(trackingUri)) {
            Sweep s = e.sweeps.stopSweep(sweepId);
            System.out.printf("Sweep %s %s%n", s.sweepId(), s.state());
        }
        return 0;
    }
}
