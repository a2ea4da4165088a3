package dev.labbook.client.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does the slow part of a segment roll off the logging thread: creates and maps the next segment
 * and touches each of its pages (so writing into it later takes no page fault), unmaps old
 * segments, and warns when the disk runs low. One daemon thread serves every run in the JVM.
 */
final class Preparer {
    private static final int PAGE = 4096;
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "labbook-spool-preparer");
        t.setDaemon(true);
        return t;
    });

    private Preparer() {}

    /** Maps {@code file} with {@code size} bytes, every page already faulted in for writing. */
    static MappedByteBuffer mapTouched(Path file, int size) {
        allocate(file, size);
        MappedByteBuffer b = Mapped.readWrite(file, size);
        for (int i = 0; i < size; i += PAGE) {
            b.put(i, (byte) 0);
        }
        return b;
    }

    /**
     * Writes zeros over a new file: allocating its blocks with plain writes is much cheaper than
     * one page fault per 4 KiB page of a sparse file.
     */
    private static void allocate(Path file, int size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() >= size) {
                return;
            }
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = ch.size(); at < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot allocate spool segment " + file, e);
        }
    }

    /** Prepares the next segment of a spool, and checks that its disk is not running full (see {@link DiskSpace}). */
    static Future<MappedByteBuffer> prepare(Path file, int size) {
        return EXECUTOR.submit(() -> {
            MappedByteBuffer b = mapTouched(file, size);
            try {
                DiskSpace.check(file.getParent());
            } catch (RuntimeException e) {
                // a warning that cannot be made must not cost the segment
            }
            return b;
        });
    }

    static void unmapLater(MappedByteBuffer b) {
        EXECUTOR.execute(() -> Mapped.unmap(b));
    }
}
