package dev.labbook.client.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when the file system holding a spool runs low on free space. A cap on the spool would drop
 * what was logged, so there is none: a long outage simply grows the spool, and this warning says
 * so before the disk fills, naming the spool and its size. Checked off the logging thread, each
 * time a segment is prepared (every 8 MiB logged); warned at most once per {@link #INTERVAL_NANOS}
 * in a JVM, since every run of the JVM usually shares the disk.
 */
final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    /** Below this much free space, or below {@link #MIN_FREE_PERCENT} of the file system, it warns. */
    static final long MIN_FREE_BYTES = 1L << 30;
    static final int MIN_FREE_PERCENT = 5;
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** The byte threshold in force; tests raise it, because no disk of theirs runs low on demand. */
    static volatile long minFreeBytes = MIN_FREE_BYTES;
    private static final Object LOCK = new Object();
    private static long lastWarning;
    private static boolean warned;
    private static final AtomicInteger CHECKS = new AtomicInteger();

    private DiskSpace() {}

    /** True when {@code usable} bytes free of {@code total} is too little. */
    static boolean low(long usable, long total) {
        return usable < minFreeBytes || usable * 100 < total * MIN_FREE_PERCENT;
    }

    /** Checks the file system of the spool {@code runDir}; returns the warning it logged, or null. */
    static String check(Path runDir) {
        CHECKS.incrementAndGet();
        long usable;
        long total;
        try {
            FileStore fs = Files.getFileStore(runDir);
            usable = fs.getUsableSpace();
            total = fs.getTotalSpace();
        } catch (IOException e) {
            return null; // nothing to say about a file system that cannot be asked
        }
        if (!low(usable, total)) {
            return null;
        }
        synchronized (LOCK) {
            long now = System.nanoTime();
            if (warned && now - lastWarning < INTERVAL_NANOS) {
                return null;
            }
            warned = true;
            lastWarning = now;
        }
        Path root = runDir.toAbsolutePath().getParent();
        String message = String.format("Low disk space for the Labbook spool: %s free of %s on the file system of %s. "
                        + "This run's spool %s holds %s (all spools there: %s). Nothing logged is dropped to make room: free "
                        + "space, or let the server catch up (`labbook sync` delivers what remains)",
                mb(usable), mb(total), root, runDir.toAbsolutePath(), mb(size(runDir)), mb(size(root)));
        LOG.warn(message);
        return message;
    }

    /** The size of everything below {@code dir}, files of artifacts waiting for upload included. */
    private static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // delivered and deleted meanwhile
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static String mb(long bytes) {
        return bytes >= (10L << 30) ? (bytes >> 30) + " GB" : bytes >= (1L << 20) ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
    }

    /** Checks made so far, for tests. */
    static int checks() {
        return CHECKS.get();
    }

    /** Back to the start: threshold and rate limit. For tests. */
    static void reset() {
        synchronized (LOCK) {
            warned = false;
        }
        minFreeBytes = MIN_FREE_BYTES;
    }
}
