package dev.labbook.serving;

import dev.labbook.client.Labbook;
import dev.labbook.client.Run;
import dev.labbook.client.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitoring back into tracking: every interval, what the scoring server did in it (requests,
 * errors, rows, latency p50/p95/p99) is logged as metrics of a run in the experiment
 * {@code serving/NAME}, through the Labbook SDK, so a deployment's health is a run like any other
 * in the dashboard. One run per served version: when the alias moves, the run of the old version
 * ends and one of the new version starts. Everything runs on one timer thread; the SDK spools
 * and sends in the background, so a slow or absent tracking server never slows scoring.
 */
public final class ServingMonitor implements AutoCloseable {
    /** The experiment of a served model is this prefix and the model's name. */
    public static final String EXPERIMENT_PREFIX = "serving/";
    /** The tag naming the served version ({@code NAME/VERSION}, or the model URI). */
    public static final String VERSION_TAG = "labbook.serving.model_version";
    private static final Logger LOG = LoggerFactory.getLogger(ServingMonitor.class);

    /**
     * Where and how often.
     *
     * @param trackingUri the tracking server (or local store) the runs go to
     * @param interval how often metrics are logged
     * @param spoolDir the SDK's spool, or null for its default
     */
    public record Options(String trackingUri, Duration interval, Path spoolDir) {
        public Options {
            if (interval.isNegative() || interval.isZero()) {
                throw dev.labbook.core.LabbookException.invalid("--monitoring-interval must be positive");
            }
        }
    }

    private final ScoringServer server;
    private final Options options;
    private final ScheduledExecutorService timer;
    private Run run;
    private String runLabel;
    private long step;

    private ServingMonitor(ScoringServer server, Options options) {
        this.server = server;
        this.options = options;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serving-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts logging {@code server}'s figures every {@code options.interval()}. */
    public static ServingMonitor start(ScoringServer server, Options options) {
        ServingMonitor m = new ServingMonitor(server, options);
        long every = options.interval().toMillis();
        m.timer.scheduleWithFixedDelay(m::tick, 0, every, TimeUnit.MILLISECONDS);
        return m;
    }

    /** The experiment a served model's runs go to: {@code serving/NAME}, the run or the directory's name for unregistered ones. */
    static String experiment(LoadedModel m) {
        String name = m.name() != null ? m.name() : m.runId() != null ? "run-" + m.runId()
                : m.dir().getFileName() != null ? m.dir().getFileName().toString() : "model";
        return EXPERIMENT_PREFIX + name;
    }

    private synchronized void tick() {
        try {
            LoadedModel m = server.current().orElse(null);
            if (m == null) {
                return;
            }
            if (run == null) {
                open(m);
                return; // the first tick only opens the run: there is no interval behind it yet
            }
            log(server.stats().drain());
            if (!m.label().equals(runLabel)) {
                // the requests of this interval were answered by both versions; they went to the old run
                run.finish();
                open(m);
            }
        } catch (RuntimeException e) {
            // monitoring must never stop serving; the next tick tries again
            LOG.warn("serving monitor: {}", e.getMessage());
        }
    }

    private void open(LoadedModel m) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(VERSION_TAG, m.label());
        tags.put("labbook.serving.model_uri", m.uri());
        if (m.version() != null) {
            tags.put("labbook.serving.version", m.version());
        }
        if (m.runId() != null) {
            tags.put("labbook.serving.source_run_id", m.runId());
        }
        tags.put("labbook.serving.address", server.options().host() + ":" + server.port());
        RunOptions o = new RunOptions().setExperiment(experiment(m)).optRunName(m.label() + " @ " + server.options().host()
                + ":" + server.port()).optTags(tags).optTrackingUri(options.trackingUri())
                .optConfig(Map.of("workers", server.options().workers(), "timeout_seconds", server.options().timeout().toSeconds(),
                        "monitoring_interval_seconds", options.interval().toMillis() / 1000.0));
        if (options.spoolDir() != null) {
            o.optSpoolDir(options.spoolDir());
        }
        // no drain here: requests answered before the run opened (a slow first tick on a loaded
        // machine, or the moment of a version swap) are counted in its first interval, never lost
        run = Labbook.init(o);
        runLabel = m.label();
        step = 0;
    }

    private void log(ServingStats.Snapshot s) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("requests", (double) s.requests());
        metrics.put("errors", (double) s.errors());
        metrics.put("rows", (double) s.rows());
        metrics.put("requests_per_second", s.requests() * 1000.0 / options.interval().toMillis());
        if (s.requests() > 0) {
            metrics.put("latency_p50_ms", s.p50Ms());
            metrics.put("latency_p95_ms", s.p95Ms());
            metrics.put("latency_p99_ms", s.p99Ms());
        }
        run.log(metrics, step++);
    }

    /** Logs the last interval and ends the run (FINISHED), waiting for its delivery as the SDK does. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            if (run != null) {
                try {
                    log(server.stats().drain());
                    run.finish();
                } catch (RuntimeException e) {
                    LOG.warn("serving monitor: {}", e.getMessage());
                }
                run = null;
            }
        }
    }
}
