package dev.labbook.client.internal;

import dev.labbook.client.DeliveryReport.Rejection;
import dev.labbook.client.spool.Checkpoint;
import dev.labbook.client.spool.Records;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolReader;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one run's spool, in order, from its checkpoint on: creates the run when the server
 * does not know it yet, packs records into log-batch requests, uploads artifacts and sends the
 * run's end. Transport failures, 5xx and 429 are retried with backoff (the spool keeps
 * everything meanwhile). A log-batch refused with a 400 is split until the refused entries stand
 * alone ({@link Isolator}): only those are dropped. Any other error drops the delivery it
 * concerns, with a log line (once per run when the run no longer exists). The checkpoint moves
 * past a delivery only once all of it was delivered or definitively refused.
 */
public final class Sender implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
    /** The marker of a spool that was delivered completely. */
    public static final String DELIVERED = "delivered";
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path dir;
    private final Backend backend;
    private final SpoolWriter writer;
    private final Checkpoint checkpoint;
    private final SpoolReader reader;
    private final Packer packer;
    private final Backoff backoff = new Backoff();
    private final Rejections rejections = new Rejections();
    private final Isolator isolator;
    private final Object progress = new Object();
    private volatile RunMeta meta;
    private boolean mayExist;
    private Batch pending;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean stopping;
    private volatile boolean sawStatus;
    private volatile boolean complete;
    private volatile boolean failed;
    private volatile long acknowledged;
    private volatile long dropped;
    private volatile String lastError;
    private boolean goneReported;

    /**
     * @param writer the live run's writer, or null to replay the spool of a run that ended
     * @param mayExist true when an earlier attempt may already have created the run
     */
    public Sender(Path dir, RunMeta meta, Backend backend, SpoolWriter writer, boolean mayExist) {
        this.dir = dir;
        this.meta = meta;
        this.backend = backend;
        this.writer = writer;
        this.mayExist = mayExist;
        this.checkpoint = new Checkpoint(dir);
        long start = checkpoint.get();
        this.reader = new SpoolReader(dir, start, writer == null ? () -> Long.MAX_VALUE : writer::published);
        this.packer = new Packer(reader, start);
        this.isolator = new Isolator(backend, rejections);
    }

    /** Starts delivering on a daemon thread. */
    public void start() {
        Thread t = new Thread(this, "labbook-sender-" + meta.clientRunId().substring(0, 8));
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        try {
            while (!complete && !failed) {
                if (!step()) {
                    if (stopping) {
                        break;
                    }
                    sleeping = true;
                    LockSupport.parkNanos(this, LINGER_NANOS);
                    sleeping = false;
                }
            }
        } finally {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Delivers everything there is now, retrying until {@code deadlineNanos}; used to replay a
     * spool on the caller's thread. Returns true when the spool was completely delivered.
     */
    public boolean drain(long deadlineNanos) {
        while (!complete && !failed && System.nanoTime() < deadlineNanos) {
            if (!step() && pending == null && meta.runId() != null) {
                break;
            }
        }
        return complete;
    }

    /** One unit of work; false when there was nothing to deliver (or a retry wait happened). */
    private boolean step() {
        try {
            if (meta.runId() == null) {
                createRun();
                return true;
            }
            Batch b = pending != null ? pending : packer.next();
            if (b == null) {
                if (sawStatus) {
                    complete();
                }
                return false;
            }
            pending = b;
            deliver(b);
            acknowledge(b);
            if (backoff.failures() > 0) {
                LOG.info("Delivering to {} again after {} failed attempts", backend.describe(), backoff.failures());
                backoff.reset();
                lastError = null;
            }
            return true;
        } catch (LabbookException e) {
            if (Http.isRetryable(e) || refusesClient(e)) {
                retryLater(e);
                return false;
            }
            reject(e);
            return true;
        } catch (RuntimeException e) {
            // a bug or an unreadable spool: stop, keep the spool for `labbook sync`
            failed = true;
            lastError = e.toString();
            LOG.error("Delivery of run spool {} stopped; `labbook sync` can retry it", dir, e);
            return false;
        }
    }

    private void createRun() {
        RunMeta m = resolveParent(meta);
        try {
            m = backend.createRun(m, mayExist);
        } catch (LabbookException e) {
            mayExist = true; // the create may have happened even though its answer was lost
            throw e;
        }
        m.write(dir);
        meta = m;
        LOG.debug("Run {} is {} on {}", m.clientRunId(), m.runId(), backend.describe());
    }

    /** Adds the parent's server id once the parent, also logged by this SDK, has one. */
    private RunMeta resolveParent(RunMeta m) {
        if (m.parentClientRunId() == null || m.createTags().containsKey("mlflow.parentRunId")) {
            return m;
        }
        Path parentDir = dir.resolveSibling(m.parentClientRunId());
        String parentRunId = RunMeta.exists(parentDir) ? RunMeta.read(parentDir).runId() : null;
        if (parentRunId == null) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The parent run is not created yet");
        }
        Map<String, String> tags = new HashMap<>(m.createTags());
        tags.put("mlflow.parentRunId", parentRunId);
        return new RunMeta(m.clientRunId(), m.trackingUri(), m.experimentName(), m.runName(), m.userId(), m.startTime(),
                tags, m.parentClientRunId(), m.runId(), m.experimentId(), m.artifactUri());
    }

    private void deliver(Batch b) {
        RunMeta m = meta;
        if (b.status != null) {
            backend.endRun(m.runId(), b.status, b.endTime);
        } else if (b.input != null) {
            backend.logInputs(m.runId(), java.util.List.of(b.input));
        } else if (b.artifactPath != null) {
            backend.upload(m, Path.of(b.artifactPath), b.artifactDir);
        } else {
            isolator.deliver(m.runId(), b);
        }
    }

    private void acknowledge(Batch b) {
        int before = Records.segment(checkpoint.get());
        checkpoint.set(b.end);
        if (b.status != null) {
            sawStatus = true;
        }
        pending = null;
        isolator.reset();
        acknowledged += b.records;
        if (Records.segment(b.end) > before) {
            deleteSegmentsBefore(Records.segment(b.end));
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /**
     * 401 or 403: the server refuses this client, not the data (an expired token, a missing
     * permission). Nothing is dropped for it: the sender keeps retrying as for an outage, the
     * delivery report of flush and finish says why nothing arrives, and the spool waits for
     * `labbook sync` with the right credentials.
     */
    private static boolean refusesClient(LabbookException e) {
        return e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.PERMISSION_DENIED;
    }

    private void retryLater(LabbookException e) {
        long delay = backoff.nextDelayMillis();
        lastError = e.getMessage();
        if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
            LOG.warn("Cannot deliver to {} ({}); retrying, the spool keeps everything meanwhile ({} attempts so far)",
                    backend.describe(), e.getMessage(), backoff.failures());
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        while (!stopping && System.nanoTime() < until) {
            sleeping = true;
            LockSupport.parkNanos(this, until - System.nanoTime());
            sleeping = false;
        }
    }

    private void reject(LabbookException e) {
        lastError = e.getMessage();
        if (meta.runId() == null) {
            failed = true;
            LOG.error("Cannot create run '{}' on {}: {}. Its spool stays in {}", meta.runName(), backend.describe(),
                    e.getMessage(), dir);
            return;
        }
        Batch b = pending;
        dropped += b.records;
        if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST && b.artifactPath == null) {
            // every later delivery fails the same way: one line says it, the report counts them
            if (!goneReported) {
                goneReported = true;
                LOG.error("Run {} no longer exists on {} ({}): what its spool holds for it is dropped, not retried "
                        + "({} records so far; the run's delivery report counts the rest)", meta.runId(), backend.describe(),
                        e.getMessage(), b.records);
            } else {
                LOG.debug("Run {} no longer exists on {}: {} more records dropped", meta.runId(), backend.describe(), b.records);
            }
            acknowledge(b);
            return;
        }
        if (goneReported) {
            LOG.debug("{} rejected a delivery of run {}, which no longer exists: {} {}", backend.describe(), meta.runId(),
                    e.code(), e.getMessage());
            acknowledge(b);
            return;
        }
        LOG.error("{} rejected {} of run {} ({} records dropped, not retried): {} {}", backend.describe(),
                b.status != null ? "the run's end" : b.artifactPath != null ? "artifact " + b.artifactPath
                        : b.input != null ? "dataset input '" + b.input.dataset().name() + "'" : "a log-batch",
                meta.runId(), b.records, e.code(), e.getMessage());
        acknowledge(b);
    }

    private void complete() {
        reader.close();
        checkpoint.close();
        deleteSegmentsBefore(Integer.MAX_VALUE);
        try {
            Files.deleteIfExists(dir.resolve("checkpoint"));
            try (var s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".lbs.next")).toList()) {
                    Files.deleteIfExists(p); // a segment prepared by a process that then died
                }
            }
            Files.writeString(dir.resolve(DELIVERED), meta.runId() + "\n");
        } catch (IOException e) {
            LOG.warn("Cannot clean up delivered spool {}: {}", dir, e.toString());
        }
        // only now: whoever sees `complete` may rely on the marker being there
        complete = true;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void deleteSegmentsBefore(int segment) {
        for (int s : SpoolReader.segments(dir)) {
            if (s < segment) {
                try {
                    Files.deleteIfExists(dir.resolve(String.format("seg-%08d.lbs", s)));
                } catch (IOException e) {
                    LOG.debug("Cannot delete delivered segment {} of {}: {}", s, dir, e.toString());
                }
            }
        }
    }

    /** Waits until {@code records} records in total were acknowledged, or the deadline passes. */
    public boolean awaitAcknowledged(long records, long deadlineNanos) {
        wake();
        synchronized (progress) {
            while (acknowledged < records && !complete && !failed && !(thread != null && !thread.isAlive())) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return acknowledged >= records || complete;
    }

    /** Waits until the spool is completely delivered (including the run's end), or the deadline. */
    public boolean awaitComplete(long deadlineNanos) {
        wake();
        synchronized (progress) {
            while (!complete && !failed && !(thread != null && !thread.isAlive())) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return complete;
    }

    /** Cuts a backoff or linger wait short. */
    public void wake() {
        Thread t = thread;
        if (t != null && sleeping) {
            LockSupport.unpark(t);
        }
    }

    /** Asks the thread to stop after its current attempt, and waits for it a little. */
    public void stop(long waitMillis) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public RunMeta meta() {
        return meta;
    }

    public long acknowledged() {
        return acknowledged;
    }

    public long dropped() {
        return dropped;
    }

    /** Entries the server refused alone (their batch was delivered without them). */
    public long rejectedEntries() {
        return rejections.total();
    }

    /** The refused entries by kind and key, in the order they were first refused. */
    public List<Rejection> rejections() {
        return rejections.list();
    }

    public String lastError() {
        return lastError;
    }

    public boolean isComplete() {
        return complete;
    }

    public boolean hasFailed() {
        return failed;
    }

    public boolean sawStatus() {
        return sawStatus;
    }
}
