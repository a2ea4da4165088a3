package dev.labbook.client;

import dev.labbook.client.internal.Backend;
import dev.labbook.client.internal.Sender;
import dev.labbook.client.internal.Target;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolLock;
import dev.labbook.client.spool.SpoolReader;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.model.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Uploads what runs logged but did not deliver: spools of offline runs, of runs whose process
 * died, of runs that ended while the server was down. Replays are idempotent, so syncing a spool
 * twice, or one that was partly delivered, never duplicates anything. A run whose spool has no
 * end (its process was killed) is ended as KILLED.
 */
public final class Sync {
    /**
     * The outcome for one run.
     *
     * @param runId the server's run id, null when the run could not be created
     * @param records spool records delivered by this sync, or definitively refused
     * @param complete true when nothing is left to retry: the run is delivered (and its spool
     *     marked so), refused entries and dropped records aside
     * @param rejectedEntries entries the server refused alone, as in {@link DeliveryReport#rejectedEntries()}
     * @param rejections those entries by kind and key, as in {@link DeliveryReport#rejections()}
     * @param droppedRecords records of requests refused as a whole, as in {@link DeliveryReport#droppedRecords()}
     */
    public record Result(Path spoolDir, String runId, long records, boolean complete, String error,
            long rejectedEntries, List<DeliveryReport.Rejection> rejections, long droppedRecords) {
        public Result {
            rejections = List.copyOf(rejections);
        }

        /** A run this sync did not deliver anything of. */
        Result(Path spoolDir, String runId, String error) {
            this(spoolDir, runId, 0, false, error, 0, List.of(), 0);
        }
    }

    private Sync() {}

    /** Syncs every undelivered spool under {@code spoolRoot} (null: the default root). */
    public static List<Result> all(Path spoolRoot, String trackingUri, Duration timeout) {
        Path root = Labbook.spoolRoot(spoolRoot);
        List<Result> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(d -> RunMeta.exists(d) && !Files.exists(d.resolve(Sender.DELIVERED))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
        // parents first, so children can name them
        List<Path> ordered = new ArrayList<>(dirs.stream().filter(d -> RunMeta.read(d).parentClientRunId() == null).toList());
        dirs.stream().filter(d -> !ordered.contains(d)).forEach(ordered::add);
        for (Path d : ordered) {
            out.add(one(d, trackingUri, timeout));
        }
        return out;
    }

    /** Syncs one run's spool, to {@code trackingUri} or (null) where the run was logging to. */
    public static Result one(Path dir, String trackingUri, Duration timeout) {
        RunMeta meta = RunMeta.read(dir);
        String uri = trackingUri != null ? trackingUri : meta.trackingUri();
        if (uri == null) {
            return new Result(dir, null, "no tracking URI: pass one");
        }
        if (trackingUri != null && !trackingUri.equals(meta.trackingUri()) && meta.runId() != null) {
            // another server: its run ids mean nothing there
            meta = new RunMeta(meta.clientRunId(), uri, meta.experimentName(), meta.runName(), meta.userId(),
                    meta.startTime(), meta.createTags(), meta.parentClientRunId(), null, null, null);
            meta.write(dir);
        }
        try (SpoolLock lock = SpoolLock.tryAcquire(dir)) {
            if (lock == null) {
                return new Result(dir, meta.runId(), "in use by a running process");
            }
            if (SpoolReader.segments(dir).isEmpty()) {
                return new Result(dir, meta.runId(), "no spool segments");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Backend backend = Target.of(uri).open()) {
                Sender sender = new Sender(dir, meta, backend, null, true);
                if (!sender.drain(deadline) && !sender.sawStatus() && !sender.hasFailed() && System.nanoTime() < deadline) {
                    // the process died before ending the run
                    try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> {})) {
                        w.status(RunStatus.KILLED.ordinal(), lastWrite(dir));
                    }
                    sender.drain(deadline);
                }
                return new Result(dir, sender.meta().runId(), sender.acknowledged(), sender.isComplete(), sender.lastError(),
                        sender.rejectedEntries(), sender.rejections(), sender.dropped());
            } catch (RuntimeException e) {
                return new Result(dir, meta.runId(), e.getMessage());
            }
        }
    }

    /** When the spool was last written: the best guess of when its process died. */
    private static long lastWrite(Path dir) {
        long t = 0;
        for (int s : SpoolReader.segments(dir)) {
            try {
                t = Math.max(t, Files.getLastModifiedTime(dir.resolve(String.format("seg-%08d.lbs", s))).toMillis());
            } catch (IOException e) {
                // ignore
            }
        }
        return t == 0 ? System.currentTimeMillis() : t;
    }
}
