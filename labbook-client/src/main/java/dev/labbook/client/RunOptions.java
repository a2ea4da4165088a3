package dev.labbook.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Labbook#init(RunOptions)} starts a run. Every setting is optional; unset ones come
 * from the environment ({@code LABBOOK_TRACKING_URI} or {@code MLFLOW_TRACKING_URI},
 * {@code LABBOOK_MODE}, {@code LABBOOK_SPOOL_DIR}) or defaults.
 */
public final class RunOptions {
    String experiment = "Default";
    String runName;
    final Map<String, Object> config = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    String description;
    Run parent;
    String parentRunId;
    String runId;
    String trackingUri;
    Long seed;
    Boolean offline;
    Path spoolDir;
    boolean systemMetrics = true;
    Duration systemMetricsInterval = Duration.ofSeconds(5);
    boolean captureEnvironment = true;
    Duration timeout = Duration.ofSeconds(60);
    int segmentBytes = 8 << 20;

    /** The experiment to log to, created if missing (default "Default"). */
    public RunOptions setExperiment(String name) {
        this.experiment = name;
        return this;
    }

    /** The run's name; the server picks a memorable one when unset. */
    public RunOptions optRunName(String name) {
        this.runName = name;
        return this;
    }

    /** Hyperparameters, logged as params (values as strings). */
    public RunOptions optConfig(Map<String, ?> config) {
        this.config.putAll(config);
        return this;
    }

    public RunOptions optTags(Map<String, String> tags) {
        this.tags.putAll(tags);
        return this;
    }

    /** A description, shown by MLflow's UI as the run's note. */
    public RunOptions optDescription(String description) {
        this.description = description;
        return this;
    }

    /** The parent run (a sweep's run), started by this SDK. */
    public RunOptions optParent(Run parent) {
        this.parent = parent;
        return this;
    }

    /** The parent run by server run id. */
    public RunOptions optParentRunId(String runId) {
        this.parentRunId = runId;
        return this;
    }

    /**
     * Logs into the existing run {@code runId} instead of creating one (its experiment and name
     * stay as they are). Unset, {@code MLFLOW_RUN_ID} does the same, as it does for MLflow's
     * {@code start_run()}: a sweep agent names its trial's run that way.
     */
    public RunOptions optRunId(String runId) {
        this.runId = runId;
        return this;
    }

    /** {@code http(s)://...} for a server, {@code sqlite:///path.db} or a directory for a local store. */
    public RunOptions optTrackingUri(String uri) {
        this.trackingUri = uri;
        return this;
    }

    /** The random seed of the run, logged as the param {@code seed}. */
    public RunOptions optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Offline: only write the spool; {@code labbook sync} uploads it later. */
    public RunOptions optOffline(boolean offline) {
        this.offline = offline;
        return this;
    }

    /** The folder holding run spools (default {@code ~/.cache/labbook/spool}). */
    public RunOptions optSpoolDir(Path dir) {
        this.spoolDir = dir;
        return this;
    }

    /** Turns the {@code system/...} metrics on or off (on by default). */
    public RunOptions optSystemMetrics(boolean on) {
        this.systemMetrics = on;
        return this;
    }

    public RunOptions optSystemMetricsInterval(Duration interval) {
        this.systemMetricsInterval = interval;
        return this;
    }

    /** Turns the capture of git, command line, JVM and classpath off (on by default). */
    public RunOptions optCaptureEnvironment(boolean on) {
        this.captureEnvironment = on;
        return this;
    }

    /** How long {@link Run#finish()} and {@link Run#flush()} wait for delivery (default 60 s). */
    public RunOptions optTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Size of each spool segment file (default 8 MiB). */
    public RunOptions optSegmentBytes(int bytes) {
        this.segmentBytes = bytes;
        return this;
    }
}
