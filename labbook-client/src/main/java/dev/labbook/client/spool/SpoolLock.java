package dev.labbook.client.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock on a spool, held by the process logging the run, so that {@code labbook sync}
 * leaves a live run alone. The OS releases it when the process dies, however it dies.
 */
public final class SpoolLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SpoolLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process (or this one) holds it. */
    public static SpoolLock tryAcquire(Path dir) {
        try {
            FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock l = ch.tryLock();
                if (l == null) {
                    ch.close();
                    return null;
                }
                return new SpoolLock(ch, l);
            } catch (OverlappingFileLockException e) {
                ch.close();
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock spool " + dir, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
    }
}
