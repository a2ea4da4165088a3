package dev.labbook.cli;

import dev.labbook.core.registry.ModelVersion;
import dev.labbook.train.track.Tracking;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the commands that train track their runs, chosen by the tracking URI: a tracking server
 * ({@code http(s)://}, through the SDK) or a local store (a data folder or {@code sqlite:///}).
 */
interface CliTracking extends Tracking {

    /** The name of the experiment with id {@code experimentId}. */
    String experimentName(String experimentId);

    /**
     * Throws, with one line saying what to do, when a run tracked here did not fully reach where
     * it was going. Local stores write synchronously, so only the server's adapter can fail here.
     */
    default void requireDelivered() {}

    /**
     * Registers the model of run {@code runId} as a new version of {@code name} (created if
     * missing), from the run's logged model when it has one, its scores as version tags.
     */
    ModelVersion registerModel(String runId, String name);

    /** Points {@code alias} of registered model {@code name} at {@code version}. */
    void setAlias(String name, String alias, String version);

    /**
     * Opens {@code uri}. A server is checked at once, so a wrong address fails before any data is
     * loaded or trained on.
     *
     * @param spoolDir the SDK's spool root for a server, null for its default
     * @param deliveryTimeout how long a run's end waits for the server to have everything
     */
    static CliTracking open(String uri, Path spoolDir, Duration deliveryTimeout) {
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return SdkTracking.connect(uri, spoolDir, deliveryTimeout);
        }
        return StoreTracking.open(uri);
    }
}
