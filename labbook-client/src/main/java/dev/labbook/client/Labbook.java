package dev.labbook.client;

import dev.labbook.client.internal.Backend;
import dev.labbook.client.internal.Environment;
import dev.labbook.client.internal.Http;
import dev.labbook.client.internal.Sender;
import dev.labbook.client.internal.Target;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolLock;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.validation.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the SDK.
 *
 * <pre>{@code
 * try (Run run = Labbook.init(new RunOptions().setExperiment("imdb").optConfig(Map.of("lr", 0.01)))) {
 *     for (int step = 0; step < steps; step++) {
 *         run.log("loss", loss);            // returns at once: no I/O on this thread
 *     }
 *     run.summary("accuracy", acc);
 * }                                         // FINISHED, after delivery (or a report of what is pending)
 * }</pre>
 */
public final class Labbook {
    private static final Logger LOG = LoggerFactory.getLogger(Labbook.class);
    /** Where runs go when nothing says otherwise: the data directory {@code labbook server} uses by default. */
    public static final String DEFAULT_TRACKING_URI = "labbook-data";
    private static final Set<Run> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private Labbook() {}

    /** Starts a run in {@code experiment} with default options. */
    public static Run init(String experiment) {
        return init(new RunOptions().setExperiment(experiment));
    }

    /**
     * Starts a run: creates its spool, records the environment, and (online) creates the run on the
     * server. If the server cannot be reached the run goes on: the sender creates it later.
     */
    public static Run init(RunOptions o) {
        Validation.validateExperimentName(o.experiment);
        Target target = Target.of(trackingUri(o.trackingUri));
        // local stores by absolute sqlite URI, so `labbook sync` finds them from any directory
        String uri = target.remote() ? target.uri() : target.storeUri();
        boolean offline = o.offline != null ? o.offline : "offline".equalsIgnoreCase(System.getenv("LABBOOK_MODE"));
        String clientId = UUID.randomUUID().toString().replace("-", "");
        Path dir = spoolRoot(o.spoolDir).resolve(clientId);

        Map<String, String> createTags = new LinkedHashMap<>();
        if (o.description != null) {
            createTags.put("mlflow.note.content", o.description);
        }
        String parentClientId = null;
        if (o.parent != null) {
            if (o.parent.id() != null) {
                createTags.put("mlflow.parentRunId", o.parent.id());
            } else {
                parentClientId = o.parent.clientId();
            }
        } else if (o.parentRunId != null) {
            createTags.put("mlflow.parentRunId", o.parentRunId);
        }
        String attachTo = o.runId != null ? o.runId : o.parent == null && o.parentRunId == null && !offline ? envRunId() : null;
        if (attachTo != null && offline) {
            throw LabbookException.invalid("An existing run (%s) can only be logged into online, not offline", attachTo);
        }
        RunMeta meta = new RunMeta(clientId, uri, o.experiment, o.runName, System.getProperty("user.name"),
                System.currentTimeMillis(), createTags, parentClientId, null, null, null);
        meta.write(dir);
        SpoolLock lock = SpoolLock.tryAcquire(dir);

        SpoolWriter writer = new SpoolWriter(dir, o.segmentBytes, k -> Validation.validateKey(k, "metric"));
        Backend backend = null;
        Sender sender = null;
        try {
            if (!offline) {
                backend = target.open();
                meta = attachTo != null ? attach(backend, meta, dir, attachTo) : createNow(backend, meta, dir, o.timeout);
                sender = new Sender(dir, meta, backend, writer, meta.runId() == null);
            }
            Run run = new Run(meta, dir, writer, sender, backend, lock, o.timeout);
            o.config.forEach(run::logParam);
            if (o.seed != null) {
                run.logParam("seed", o.seed);
            }
            o.tags.forEach(run::setTag);
            if (o.captureEnvironment) {
                Environment.Captured env = Environment.capture();
                env.tags().forEach((k, v) -> {
                    if (!o.tags.containsKey(k)) {
                        run.setTag(k, v);
                    }
                });
                env.artifacts().forEach((path, text) -> run.logText(text, path));
            }
            if (sender != null) {
                sender.start();
            }
            if (o.systemMetrics) {
                run.startSystemMetrics(o.systemMetricsInterval);
            }
            register(run);
            return run;
        } catch (RuntimeException e) {
            writer.close();
            if (lock != null) {
                lock.close();
            }
            if (backend != null) {
                backend.close();
            }
            deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * Runs {@code body} in a new run and ends it as FINISHED, or as FAILED (and rethrows) when the
     * body throws.
     */
    public static <E extends Exception> DeliveryReport run(RunOptions options, RunBody<E> body) throws E {
        Run run = init(options);
        try {
            body.accept(run);
        } catch (Exception | Error e) {
            run.fail(e);
            run.finish(RunStatus.FAILED);
            throw e;
        }
        return run.finish(RunStatus.FINISHED);
    }

    /** The body of {@link #run}. */
    @FunctionalInterface
    public interface RunBody<E extends Exception> {
        void accept(Run run) throws E;
    }

    /** The run named by {@code MLFLOW_RUN_ID}, or null. */
    private static String envRunId() {
        String id = System.getenv("MLFLOW_RUN_ID");
        return id == null || id.isBlank() ? null : id.strip();
    }

    /** Points the run at an existing run instead of creating one. */
    private static RunMeta attach(Backend backend, RunMeta meta, Path dir, String runId) {
        RunMeta attached = backend.attach(meta, runId);
        attached.write(dir);
        return attached;
    }

    /** Creates the run now, so its id is known at once; a retryable failure leaves it to the sender. */
    private static RunMeta createNow(Backend backend, RunMeta meta, Path dir, Duration timeout) {
        if (meta.parentClientRunId() != null) {
            return meta; // the sender creates it once the parent has a server id
        }
        try {
            RunMeta created = backend.createRun(meta, false);
            created.write(dir);
            return created;
        } catch (LabbookException e) {
            if (!Http.isRetryable(e)) {
                throw e;
            }
            LOG.warn("Cannot reach {} to create the run ({}); logging to the spool {} and creating it when the server is back",
                    backend.describe(), e.getMessage(), dir);
            return meta;
        }
    }

    /** The tracking URI: the given one, else LABBOOK_TRACKING_URI, else MLFLOW_TRACKING_URI, else {@value #DEFAULT_TRACKING_URI}. */
    public static String trackingUri(String given) {
        for (String u : new String[] {given, System.getenv("LABBOOK_TRACKING_URI"), System.getenv("MLFLOW_TRACKING_URI")}) {
            if (u != null && !u.isBlank()) {
                return u.strip();
            }
        }
        return DEFAULT_TRACKING_URI;
    }

    /** The spool root: the given one, else LABBOOK_SPOOL_DIR, else ~/.cache/labbook/spool. */
    public static Path spoolRoot(Path given) {
        if (given != null) {
            return given.toAbsolutePath();
        }
        String env = System.getenv("LABBOOK_SPOOL_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "labbook", "spool");
    }

    private static void register(Run run) {
        LIVE.add(run);
        if (!hookInstalled) {
            synchronized (Labbook.class) {
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(new Thread(Labbook::shutdown, "labbook-shutdown"));
                    installUncaughtHandler();
                    hookInstalled = true;
                }
            }
        }
    }

    private static final ThreadLocal<java.util.List<Run>> CLOSED_HERE = ThreadLocal.withInitial(java.util.ArrayList::new);

    /** Remembers a run closed as FINISHED, in case this thread now dies of an exception. */
    static void closedOnThisThread(Run run) {
        java.util.List<Run> runs = CLOSED_HERE.get();
        runs.add(run);
        if (runs.size() > 16) {
            runs.remove(0);
        }
    }

    /**
     * A thread dying of an uncaught exception after closing runs (try-with-resources closes
     * before the exception leaves the block): those runs failed. Chains to the previous handler.
     */
    private static void installUncaughtHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            for (Run run : CLOSED_HERE.get()) {
                try {
                    run.failAfterClose(e);
                } catch (RuntimeException ex) {
                    LOG.warn("Cannot mark run {} FAILED: {}", run.clientId(), ex.toString());
                }
            }
            CLOSED_HERE.get().clear();
            for (Run run : LIVE.toArray(new Run[0])) {
                if (run.ownerThread() == t) {
                    run.fail(e);
                    run.finish(RunStatus.FAILED, Duration.ofSeconds(5));
                }
            }
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    static void forget(Run run) {
        LIVE.remove(run);
    }

    /** On JVM exit: runs still going are KILLED; everyone gets a few seconds to deliver. */
    private static void shutdown() {
        for (Run run : LIVE.toArray(new Run[0])) {
            try {
                DeliveryReport r = run.finish(RunStatus.KILLED, Duration.ofSeconds(5));
                if (!r.complete()) {
                    LOG.warn("Run {} marked KILLED at JVM exit; {}", run.clientId(), r);
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot end run {} at JVM exit: {}", run.clientId(), e.toString());
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
