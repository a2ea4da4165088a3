package dev.labbook.client.spool;

import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "Delivered up to position N": an 8-byte memory-mapped file the sender advances after each
 * acknowledged request. An aligned 8-byte store is never torn, so a crash leaves either the old or
 * the new position; the old one only makes the sender replay a batch, which the server dedupes.
 */
public final class Checkpoint implements AutoCloseable {
    static final String FILE = "checkpoint";

    private final MappedByteBuffer buf;

    public Checkpoint(Path dir) {
        boolean fresh = !Files.exists(dir.resolve(FILE));
        this.buf = Mapped.readWrite(dir.resolve(FILE), 8);
        if (fresh || buf.getLong(0) == 0) {
            buf.putLong(0, Records.position(0, Records.HEADER));
        }
    }

    /** The position of the first record not yet delivered. */
    public synchronized long get() {
        return buf.getLong(0);
    }

    public synchronized void set(long position) {
        buf.putLong(0, position);
    }

    @Override
    public synchronized void close() {
        Mapped.unmap(buf);
    }
}
