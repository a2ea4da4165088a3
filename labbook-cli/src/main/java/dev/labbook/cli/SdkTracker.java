package dev.labbook.cli;

import dev.labbook.client.DeliveryReport;
import dev.labbook.client.Run;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.RunStatus;
import dev.labbook.train.track.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One training run logged through the SDK. Every call only appends to the run's spool; the end
 * waits for delivery. Artifacts are first linked (or copied) into the spool: the SDK reads them
 * when it uploads them, and the pipeline deletes its scratch files once the run has ended, which
 * would leave nothing for {@code labbook sync} to upload after an outage.
 */
final class SdkTracker implements Tracker {
    private final Run run;
    private final String uri;
    private final Path kept;
    private int keptCount;
    private volatile DeliveryReport report;

    SdkTracker(Run run, String uri) {
        this.run = run;
        this.uri = uri;
        this.kept = run.spoolDir().resolve("kept-artifacts");
    }

    /** The server's run id; the SDK's client id while the server has not created the run yet. */
    @Override
    public String runId() {
        String id = run.id();
        return id != null ? id : run.clientId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        params.forEach(run::logParam);
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        run.log(metrics, step);
    }

    @Override
    public void logArtifact(Path local, String artifactPath) {
        Path copy = keep(local);
        if (Files.isDirectory(copy)) {
            run.logArtifacts(copy, artifactPath);
        } else {
            run.logArtifact(copy, artifactPath);
        }
    }

    @Override
    public void logDatasetInput(DatasetInput input) {
        run.logInput(input);
    }

    @Override
    public void setTag(String key, String value) {
        run.setTag(key, value);
    }

    /** Ends the run and waits (up to the delivery timeout) until the server has everything. */
    @Override
    public void finish(RunStatus status) {
        if (report != null) {
            return; // already ended: a failure after the end does not change the status
        }
        DeliveryReport r = run.finish(status);
        report = r;
        if (r.complete()) {
            deleteQuietly(kept);
        }
    }

    /** One line saying what the server is missing and what to do, or empty when it has everything. */
    Optional<String> problem() {
        DeliveryReport r = report;
        if (r == null || (r.complete() && r.droppedRecords() == 0 && r.rejectedEntries() == 0)) {
            return Optional.empty();
        }
        String error = r.lastError() == null ? "" : "; last error: " + SdkTracking.oneLine(r.lastError());
        if (!r.complete()) {
            return Optional.of(String.format("run %s ended %s, but the tracking server at %s does not have all of it yet: "
                    + "%d records wait in the spool %s%s. Run `./labbook sync --spool-dir %s` once the server is reachable",
                    runId(), run.endStatus(), uri, r.pendingRecords(), run.spoolDir(), error, run.spoolDir().getParent()));
        }
        // the report says what was refused (entries by key, and records of requests refused whole)
        return Optional.of(String.format("run %s ended %s, but the tracking server at %s refused part of it, which was not stored: %s",
                runId(), run.endStatus(), uri, SdkTracking.oneLine(r.toString())));
    }

    /** After the command: an incomplete delivery stops here and is left to {@code labbook sync}. */
    void release() {
        DeliveryReport r = report;
        if (r != null && !r.complete()) {
            run.detach();
        }
    }

    /** A link to (or else a copy of) {@code local} inside the spool, which outlives the caller's files. */
    private synchronized Path keep(Path local) {
        Path target = kept.resolve(Integer.toString(++keptCount)).resolve(local.getFileName().toString());
        try (Stream<Path> walk = Files.walk(local)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(local.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    link(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + local + " in the run's spool " + run.spoolDir(), e);
        }
        return target;
    }

    /** A hard link costs nothing; across file systems (or where links are refused) the file is copied. */
    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // copies left in a delivered spool only take space
        }
    }
}
