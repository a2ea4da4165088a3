package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of commands that track runs: where to, and (for a server) the spool and how long to wait. */
final class TrackingOptions {
    @Option(names = "--tracking-uri", description = "Where runs go: a tracking server http(s)://HOST:PORT, a data folder, "
            + "or sqlite:///ABS/PATH.db (default: $LABBOOK_TRACKING_URI or ./labbook-data).")
    String trackingUri;

    @Option(names = "--spool-dir", description = "With a server: folder of the runs' on-disk spools, what `labbook sync` "
            + "uploads if the server is unreachable (default: $LABBOOK_SPOOL_DIR or ~/.cache/labbook/spool).")
    Path spoolDir;

    @Option(names = "--delivery-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "With a server: how long the end of a run waits for everything to be delivered (default: ${DEFAULT-VALUE}).")
    long deliveryTimeoutSeconds;

    /** Opens the tracking these options name. */
    CliTracking open() {
        if (deliveryTimeoutSeconds <= 0) {
            throw LabbookException.invalid("--delivery-timeout must be a positive number of seconds, got %d", deliveryTimeoutSeconds);
        }
        return CliTracking.open(SentimentCommand.trackingUri(trackingUri), spoolDir, Duration.ofSeconds(deliveryTimeoutSeconds));
    }
}
