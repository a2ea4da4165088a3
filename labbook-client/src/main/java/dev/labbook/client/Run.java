package dev.labbook.client;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.labbook.client.internal.Backend;
import dev.labbook.client.internal.Inputs;
import dev.labbook.client.internal.Sender;
import dev.labbook.client.internal.SystemMetrics;
import dev.labbook.client.internal.Wire;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolLock;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.validation.Validation;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run being logged. Logging methods only append to the run's on-disk spool and return; a
 * background sender delivers the spool to the server (or local store) in batches, retrying
 * through outages. Thread-safe.
 *
 * <p>Use it in try-with-resources: closing finishes the run as FINISHED, or as FAILED after
 * {@link #fail(Throwable)} (or when {@link Labbook#run} saw the body throw). A JVM shutdown before
 * the run ends marks it KILLED.
 */
public final class Run implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    /** The input tag MLflow uses for a dataset's role in a run. */
    public static final String CONTEXT_TAG = "mlflow.data.context";

    private final String clientId;
    private final Path dir;
    private final SpoolWriter writer;
    private final Sender sender;
    private final Backend backend;
    private final RunMeta initialMeta;
    private final Duration timeout;
    /** Keeps `labbook sync` away while this process may still deliver; the OS drops it if we die. */
    private final SpoolLock lock;
    private final Map<String, String> params = new ConcurrentHashMap<>();
    private final AtomicInteger files = new AtomicInteger();
    private final Thread owner = Thread.currentThread();
    private volatile SystemMetrics systemMetrics;
    private volatile Throwable failure;
    private volatile RunStatus endStatus;
    private volatile DeliveryReport endReport;
    private volatile boolean detached;

    Run(RunMeta meta, Path dir, SpoolWriter writer, Sender sender, Backend backend, SpoolLock lock, Duration timeout) {
        this.lock = lock;
        this.clientId = meta.clientRunId();
        this.initialMeta = meta;
        this.dir = dir;
        this.writer = writer;
        this.sender = sender;
        this.backend = backend;
        this.timeout = timeout;
    }

    void startSystemMetrics(Duration interval) {
        SystemMetrics s = new SystemMetrics(m -> {
            if (endStatus == null) {
                log(m);
            }
        }, interval.toMillis());
        systemMetrics = s;
        s.start(clientId.substring(0, 8));
    }

    /** The thread that started the run. */
    Thread ownerThread() {
        return owner;
    }

    // --- identity

    /** The server's run id, or null while the server has not been reached (offline, or down at init). */
    public String id() {
        return sender == null ? initialMeta.runId() : sender.meta().runId();
    }

    /** The id this SDK gave the run; its spool directory's name and its {@code labbook.client_run_id} tag. */
    public String clientId() {
        return clientId;
    }

    public String experimentName() {
        return initialMeta.experimentName();
    }

    /** The run's spool directory. */
    public Path spoolDir() {
        return dir;
    }

    /** The artifact URI of the run on the server, or null while not known. */
    public String artifactUri() {
        return sender == null ? initialMeta.artifactUri() : sender.meta().artifactUri();
    }

    // --- metrics

    /** Logs a metric at its next automatic step (0, 1, 2, ... per key). No I/O: it only appends to the spool. */
    public void log(String key, double value) {
        writer().metric(key, value, System.currentTimeMillis(), SpoolWriter.AUTO_STEP);
    }

    /** Logs a metric at an explicit step; later automatic steps of the key continue after it. */
    public void log(String key, double value, long step) {
        writer().metric(key, value, System.currentTimeMillis(), step);
    }

    /** Logs several metrics, each at its next automatic step, with one timestamp. */
    public void log(Map<String, ? extends Number> metrics) {
        SpoolWriter w = writer();
        long now = System.currentTimeMillis();
        for (var e : metrics.entrySet()) {
            w.metric(e.getKey(), e.getValue().doubleValue(), now, SpoolWriter.AUTO_STEP);
        }
    }

    /** Logs several metrics at one explicit step. */
    public void log(Map<String, ? extends Number> metrics, long step) {
        SpoolWriter w = writer();
        long now = System.currentTimeMillis();
        for (var e : metrics.entrySet()) {
            w.metric(e.getKey(), e.getValue().doubleValue(), now, step);
        }
    }

    /**
     * Records a final value: a point at the key's last step, logged last, so it is the value
     * searches and run tables show for the key.
     */
    public void summary(String key, double value) {
        SpoolWriter w = writer();
        w.metric(key, value, System.currentTimeMillis(), w.lastStep(key));
    }

    // --- params and tags

    /** Logs a param. Params are write-once: the same value again is fine, another value throws. */
    public void logParam(String key, Object value) {
        String v = String.valueOf(value);
        Validation.validateParam(new Param(key, v));
        String old = params.putIfAbsent(key, v);
        if (old != null) {
            if (!old.equals(v)) {
                throw LabbookException.invalid("Param '%s' was already logged with value '%s'; params are write-once (got '%s')", key, old, v);
            }
            return;
        }
        writer().param(key, v);
    }

    /** Sets a tag; setting it again overwrites it. */
    public void setTag(String key, String value) {
        Validation.validateRunTag(new RunTag(key, value));
        writer().tag(key, value);
    }

    // --- dataset inputs

    /**
     * Records a dataset the run used (MLflow log-inputs), e.g. with the tag
     * {@code mlflow.data.context = train}. Like params it only appends to the spool; the server
     * keeps a dataset once per experiment (by name and digest) and once per run, so logging it
     * again, or a replay after an outage, adds nothing.
     */
    public void logInput(DatasetInput input) {
        Inputs.validate(input);
        writer().input(Inputs.encode(input));
    }

    /** Records {@code dataset} as used in {@code context} ({@code train}, {@code eval}, ...; null for none). */
    public void logInput(Dataset dataset, String context) {
        logInput(new DatasetInput(context == null ? List.of() : List.of(new InputTag(CONTEXT_TAG, context)), dataset));
    }

    // --- artifacts

    /**
     * Uploads a file as an artifact at the root of the run's artifacts. The file is read when the
     * sender uploads it, so it must stay in place until then ({@link #flush()} waits for that).
     */
    public void logArtifact(Path file) {
        logArtifact(file, "");
    }

    /** Uploads a file as an artifact under the directory {@code artifactDir}. */
    public void logArtifact(Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw LabbookException.invalid("Not a file: %s", file);
        }
        writer().artifact(file.toAbsolutePath().toString(), artifactDir);
    }

    /** Uploads every file under a directory, keeping their relative paths. */
    public void logArtifacts(Path dir) {
        logArtifacts(dir, "");
    }

    public void logArtifacts(Path dir, String artifactDir) {
        if (!Files.isDirectory(dir)) {
            throw LabbookException.invalid("Not a directory: %s", dir);
        }
        writer().artifact(dir.toAbsolutePath().toString(), artifactDir);
    }

    /** Saves text as the artifact {@code artifactFile} (e.g. {@code notes/summary.md}). */
    public void logText(String text, String artifactFile) {
        writeArtifact(artifactFile, out -> Files.writeString(out, text, StandardCharsets.UTF_8));
    }

    /** Saves any Jackson-serializable value as pretty-printed JSON. */
    public void logJson(Object value, String artifactFile) {
        writeArtifact(artifactFile, out -> Wire.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .setPropertyNamingStrategy(null).writeValue(out.toFile(), value));
    }

    /** Saves an image as PNG. */
    public void logImage(RenderedImage image, String artifactFile) {
        writeArtifact(artifactFile, out -> {
            if (!javax.imageio.ImageIO.write(image, "png", out.toFile())) {
                throw new IOException("No PNG writer available");
            }
        });
    }

    /** Saves rows as CSV with a header line (RFC 4180 quoting). */
    public void logTable(String artifactFile, List<String> columns, List<? extends List<?>> rows) {
        writeArtifact(artifactFile, out -> {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                csvLine(w, columns);
                for (List<?> row : rows) {
                    csvLine(w, row);
                }
            }
        });
    }

    private static void csvLine(Writer w, List<?> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            Object c = cells.get(i);
            String s = c == null ? "" : c.toString();
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            w.write(s);
        }
        w.write("\r\n");
    }

    private interface FileWriterBody {
        void write(Path out) throws IOException;
    }

    /** Writes a generated artifact into the spool (so it survives a crash) and queues its upload. */
    private void writeArtifact(String artifactFile, FileWriterBody body) {
        String clean = artifactFile.replace('\\', '/').replaceAll("^/+", "");
        if (clean.isEmpty() || clean.endsWith("/") || List.of(clean.split("/")).contains("..")) {
            throw LabbookException.invalid("Invalid artifact file name '%s'", artifactFile);
        }
        SpoolWriter w = writer();
        int slash = clean.lastIndexOf('/');
        // one folder per call, so a later artifact of the same name cannot replace a pending one
        Path out = dir.resolve("files").resolve(Integer.toString(files.incrementAndGet())).resolve(clean.substring(slash + 1));
        try {
            Files.createDirectories(out.getParent());
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write artifact " + artifactFile, e);
        }
        w.artifact(out.toString(), slash < 0 ? "" : clean.substring(0, slash));
    }

    // --- delivery and end

    /** Waits (up to the run's timeout) until everything logged so far was delivered. */
    public DeliveryReport flush() {
        return flush(timeout);
    }

    public DeliveryReport flush(Duration wait) {
        if (sender == null) {
            writer.force();
            return report(false);
        }
        long target = writer.records();
        sender.awaitAcknowledged(target, System.nanoTime() + wait.toNanos());
        return report(false);
    }

    /** Marks the run failed; {@link #close()} then ends it as FAILED. */
    public void fail(Throwable cause) {
        this.failure = cause == null ? new RuntimeException("failed") : cause;
    }

    /** Ends the run as FINISHED (or FAILED after {@link #fail}) and waits for delivery. */
    public DeliveryReport finish() {
        return finish(failure == null ? RunStatus.FINISHED : RunStatus.FAILED);
    }

    /** Ends the run with {@code status} and waits (up to the run's timeout) for delivery. */
    public DeliveryReport finish(RunStatus status) {
        return finish(status, timeout);
    }

    synchronized DeliveryReport finish(RunStatus status, Duration wait) {
        if (endStatus != null) {
            return endReport;
        }
        if (!status.isTerminal()) {
            throw LabbookException.invalid("A run ends as FINISHED, FAILED or KILLED, not %s", status);
        }
        SystemMetrics s = systemMetrics;
        if (s != null) {
            s.stop();
        }
        if (failure != null && status == RunStatus.FINISHED) {
            status = RunStatus.FAILED;
        }
        if (status == RunStatus.FAILED && failure != null) {
            writer.tag("labbook.error", truncate(failure.toString(), 5000));
        }
        writer.status(status.ordinal(), System.currentTimeMillis());
        endStatus = status;
        Labbook.forget(this);
        DeliveryReport r;
        if (sender == null) {
            writer.force();
            writer.close();
            if (lock != null) {
                lock.close();
            }
            r = report(false);
        } else {
            long target = writer.records();
            sender.awaitAcknowledged(target, System.nanoTime() + wait.toNanos());
            boolean done = sender.awaitComplete(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            writer.close();
            r = report(done);
            if (!done) {
                // the sender keeps trying in the background while the JVM lives
                LOG.warn("Run {} ended as {}, but {}", id() != null ? id() : clientId, status, r);
            } else {
                backend.close();
                if (lock != null) {
                    lock.close();
                }
            }
        }
        endReport = r;
        return r;
    }

    /**
     * Stops delivering this ended run from this process and releases its spool, so that
     * {@code labbook sync} (here or in another process) can deliver what is still pending. For a
     * program that goes on after a {@link #finish} that could not deliver everything; a process
     * that exits releases the spool anyway. Nothing changes for a run that was delivered.
     */
    public synchronized void detach() {
        if (endStatus == null) {
            throw new LabbookException(ErrorCode.INVALID_STATE, "Run " + clientId + " is still running; finish it before detaching it");
        }
        if (detached || sender == null || sender.isComplete()) {
            return;
        }
        detached = true;
        sender.stop(5_000);
        backend.close();
        if (lock != null) {
            lock.close();
        }
    }

    /**
     * Finishes the run: FINISHED, or FAILED after {@link #fail}. Java does not tell a resource
     * whether an exception is unwinding through its try block, so when this thread then dies of
     * an uncaught exception the run is marked FAILED after the fact (see {@link Labbook}).
     */
    @Override
    public void close() {
        RunStatus before = endStatus;
        finish();
        if (before == null && endStatus == RunStatus.FINISHED) {
            Labbook.closedOnThisThread(this);
        }
    }

    /** Turns a run that ended FINISHED into FAILED, because an exception escaped its try block. */
    void failAfterClose(Throwable cause) {
        long end = System.currentTimeMillis();
        String error = truncate(String.valueOf(cause), 5000);
        RunMeta m = sender != null ? sender.meta() : initialMeta;
        if (!Files.exists(dir.resolve(Sender.DELIVERED)) || m.runId() == null) {
            // not delivered yet: append to the spool; the sender or `labbook sync` takes it from there
            try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> { })) {
                w.tag("labbook.error", error);
                w.status(RunStatus.FAILED.ordinal(), end);
            }
            return;
        }
        try (Backend b = dev.labbook.client.internal.Target.of(m.trackingUri()).open()) {
            dev.labbook.client.internal.Batch batch = new dev.labbook.client.internal.Batch();
            batch.tags.put("labbook.error", error);
            b.logBatch(m.runId(), batch);
            b.endRun(m.runId(), RunStatus.FAILED, end);
        }
        endStatus = RunStatus.FAILED;
    }

    /** The status the run ended with, or null while it is running. */
    public RunStatus endStatus() {
        return endStatus;
    }

    private DeliveryReport report(boolean complete) {
        if (sender == null) {
            return new DeliveryReport(false, writer.records(), 0, "offline: the spool waits for `labbook sync`", dir);
        }
        long pending = Math.max(0, writer.records() - sender.acknowledged());
        return new DeliveryReport(complete || pending == 0, pending, sender.dropped(), sender.lastError(), dir,
                sender.rejectedEntries(), sender.rejections());
    }

    private SpoolWriter writer() {
        if (endStatus != null) {
            throw new LabbookException(ErrorCode.INVALID_STATE, "Run " + clientId + " has ended; nothing more can be logged to it");
        }
        return writer;
    }

    Sender sender() {
        return sender;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
