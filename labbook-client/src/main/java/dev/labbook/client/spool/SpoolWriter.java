package dev.labbook.client.spool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Appends records to a run's spool. Appending writes into a memory-mapped segment, which is no
 * system call on the caller's thread and survives the process being killed (the pages belong to
 * the OS). Thread-safe; every method is short and holds the writer's monitor.
 */
public final class SpoolWriter implements AutoCloseable {
    /** Pass as the step to get the key's next automatic step. */
    public static final long AUTO_STEP = Long.MIN_VALUE;

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(SpoolWriter.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path dir;
    private final int segmentSize;
    private final Consumer<String> keyCheck;
    private final Map<String, KeyState> keys = new HashMap<>();
    private MappedByteBuffer buf;
    private int segment;
    private int pos;
    private int nextKeyId;
    private long records;
    @SuppressWarnings("unused") // accessed through PUBLISHED
    private volatile long published;
    private boolean closed;
    /** The next segment, being mapped and touched in the background under a temporary name. */
    private java.util.concurrent.Future<MappedByteBuffer> next;

    /** Per metric key: its id in the current segment and its automatic step counter. */
    private static final class KeyState {
        byte[] utf8;
        int id = -1;
        int idSegment = -1;
        long nextStep;
        long lastStep;
    }

    /**
     * Opens the spool in {@code dir} for appending, after any records already there.
     *
     * @param keyCheck called once per new metric key; throws to reject it
     */
    public SpoolWriter(Path dir, int segmentSize, Consumer<String> keyCheck) {
        if (segmentSize < (64 << 10)) {
            throw new IllegalArgumentException("segment size must be at least 64 KiB");
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.keyCheck = keyCheck;
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create spool directory " + dir, e);
        }
        long end = SpoolReader.findEnd(dir);
        if (end < 0) {
            openSegment(0);
        } else {
            segment = Records.segment(end);
            Path file = dir.resolve(Records.segmentName(segment));
            int size;
            try {
                size = (int) Math.max(Files.size(file), Records.offset(end) + 1);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read spool segment " + file, e);
            }
            buf = Mapped.readWrite(file, size);
            pos = Records.offset(end);
            // Continue in a fresh segment: the key ids and steps of the old one are not known here.
            roll();
        }
    }

    /** The position just after the last complete record; readers must not read past it. */
    public long published() {
        return (long) PUBLISHED.getAcquire(this);
    }

    public Path dir() {
        return dir;
    }

    /** Appends a metric point; {@code step} may be {@link #AUTO_STEP}. */
    public synchronized void metric(String key, double value, long timestamp, long step) {
        ensureOpen();
        KeyState k = keys.get(key);
        if (k == null) {
            keyCheck.accept(key);
            k = new KeyState();
            k.utf8 = key.getBytes(StandardCharsets.UTF_8);
            keys.put(key, k);
        }
        if (step == AUTO_STEP) {
            step = k.nextStep;
        }
        k.nextStep = Math.max(k.nextStep, step + 1);
        k.lastStep = step;
        int need = Records.METRIC_SIZE + (k.idSegment == segment ? 0 : 1 + 4 + 4 + k.utf8.length);
        if (pos + need + 1 > segmentSize) {
            roll();
        }
        if (k.idSegment != segment) {
            k.id = nextKeyId++;
            k.idSegment = segment;
            int p = pos + 1;
            buf.putInt(p, k.id);
            p = putBytes(p + 4, k.utf8);
            commit(Records.KEY, p);
        }
        int p = pos + 1;
        buf.putInt(p, k.id);
        buf.putLong(p + 4, step);
        buf.putLong(p + 12, timestamp);
        buf.putDouble(p + 20, value);
        commit(Records.METRIC, p + 28);
    }

    /** Records appended by this writer (key definitions aside). */
    public synchronized long records() {
        return records;
    }

    /** The step of the last point logged for {@code key}, or 0 when there is none. */
    public synchronized long lastStep(String key) {
        KeyState k = keys.get(key);
        return k == null ? 0 : k.lastStep;
    }

    public synchronized void param(String key, String value) {
        strings(Records.PARAM, key, value);
    }

    public synchronized void tag(String key, String value) {
        strings(Records.TAG, key, value);
    }

    /** Records an upload of {@code localPath} (a file, or a directory's files) under {@code artifactDir}. */
    public synchronized void artifact(String localPath, String artifactDir) {
        strings(Records.ARTIFACT, localPath, artifactDir == null ? "" : artifactDir);
    }

    /** Records a dataset input, given as the JSON of one entry of log-inputs' {@code datasets}. */
    public synchronized void input(String json) {
        ensureOpen();
        byte[] x = json.getBytes(StandardCharsets.UTF_8);
        int need = 1 + 4 + x.length;
        if (need + 1 + Records.HEADER > segmentSize) {
            throw new IllegalArgumentException("record of " + need + " bytes does not fit a spool segment");
        }
        if (pos + need + 1 > segmentSize) {
            roll();
        }
        commit(Records.INPUT, putBytes(pos + 1, x));
    }

    /** Records the end of the run: status (an ordinal of RunStatus) and end time. */
    public synchronized void status(int status, long endTime) {
        ensureOpen();
        if (pos + 10 + 1 > segmentSize) {
            roll();
        }
        buf.put(pos + 1, (byte) status);
        buf.putLong(pos + 2, endTime);
        commit(Records.STATUS, pos + 10);
    }

    /** Asks the OS to write the mapped pages to disk (only needed to survive a machine crash). */
    public synchronized void force() {
        if (!closed) {
            buf.force();
        }
    }

    private void strings(byte type, String a, String b) {
        ensureOpen();
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        int need = 1 + 8 + x.length + y.length;
        if (need + 1 + Records.HEADER > segmentSize) {
            throw new IllegalArgumentException("record of " + need + " bytes does not fit a spool segment");
        }
        if (pos + need + 1 > segmentSize) {
            roll();
        }
        int p = putBytes(pos + 1, x);
        p = putBytes(p, y);
        commit(type, p);
    }

    private int putBytes(int p, byte[] bytes) {
        buf.putInt(p, bytes.length);
        buf.put(p + 4, bytes);
        return p + 4 + bytes.length;
    }

    /** Makes the record at {@code pos} visible: payload first, then its type byte, then the position. */
    private void commit(byte type, int end) {
        VarHandle.releaseFence();
        buf.put(pos, type);
        pos = end;
        if (type != Records.KEY) {
            records++;
        }
        PUBLISHED.setRelease(this, Records.position(segment, pos));
    }

    private void roll() {
        // NEXT is written before the next segment gets its name, so a reader never sees a later
        // segment while this one could still grow.
        VarHandle.releaseFence();
        buf.put(pos, Records.NEXT);
        Preparer.unmapLater(buf);
        openSegment(segment + 1);
    }

    private void openSegment(int index) {
        Path file = dir.resolve(Records.segmentName(index));
        MappedByteBuffer b = null;
        if (next != null) {
            try {
                b = next.get();
                Files.move(preparedName(index), file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (Exception e) {
                if (b != null) {
                    Mapped.unmap(b);
                }
                b = null; // fall back to mapping it here
            }
            next = null;
        }
        if (b == null) {
            b = Preparer.mapTouched(file, segmentSize);
        }
        buf = b;
        segment = index;
        buf.putInt(0, Records.MAGIC);
        buf.putInt(4, Records.VERSION);
        buf.putLong(8, index);
        pos = Records.HEADER;
        nextKeyId = 0;
        PUBLISHED.setRelease(this, Records.position(segment, pos));
        next = Preparer.prepare(preparedName(index + 1), segmentSize);
    }

    private Path preparedName(int index) {
        return dir.resolve(Records.segmentName(index) + ".next");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the spool is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Mapped.unmap(buf);
            buf = null;
            if (next != null) {
                try {
                    Mapped.unmap(next.get());
                    Files.deleteIfExists(preparedName(segment + 1));
                } catch (Exception e) {
                    // a stray prepared segment is ignored by readers and deleted on delivery
                }
                next = null;
            }
        }
    }
}
