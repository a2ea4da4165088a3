package dev.labbook.cli;

import dev.labbook.sweep.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labbook sweep create FILE}: creates the sweep and prints its id. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a sweep from a sweep file (YAML or JSON) and print its id.")
final class SweepCreateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--tracking-uri", description = "A tracking server http(s)://HOST:PORT, a data folder, or sqlite:///ABS/PATH.db "
            + "(default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Option(names = "--experiment-id", description = "Experiment of the sweep's runs (default: the file's experiment, else Default).")
    String experimentId;

    @Override
    public Integer call() throws Exception {
        String text = read(file);
        try (SweepCommand.Endpoint e = SweepCommand.Endpoint.open(trackingUri)) {
            Sweep s = e.sweeps.createSweep(text, experimentId);
            System.err.printf("Created sweep %s (%s) in experiment %s, parent run %s%n", s.sweepId(), s.name(), s.experimentId(), s.parentRunId());
            System.out.println(s.sweepId());
        }
        return 0;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw dev.labbook.core.LabbookException.invalid("cannot read the sweep file %s: %s", file, e.getMessage());
        }
    }
}
