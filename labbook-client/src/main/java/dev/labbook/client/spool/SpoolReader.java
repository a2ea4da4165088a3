package dev.labbook.client.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Reads a run's spool from a position onwards. While the run is alive the reader is bounded by the
 * writer's published position; after a crash it reads until the first unwritten record.
 */
public final class SpoolReader implements AutoCloseable {
    private final Path dir;
    private final LongSupplier limit;
    private MappedByteBuffer buf;
    private int segment;
    private int pos;
    private String[] keys = new String[64];

    /**
     * @param start the position of the first record to return (a checkpoint)
     * @param limit the position not to read beyond; {@code () -> Long.MAX_VALUE} after a crash
     */
    public SpoolReader(Path dir, long start, LongSupplier limit) {
        this.dir = dir;
        this.limit = limit;
        int seg = Records.segment(start);
        int off = Math.max(Records.offset(start), Records.HEADER);
        if (!Files.exists(dir.resolve(Records.segmentName(seg)))) {
            throw new UncheckedIOException(new IOException("Spool segment missing: " + dir.resolve(Records.segmentName(seg))));
        }
        open(seg);
        // Replay the key dictionary of the records before the start position.
        SpoolRecord skip = new SpoolRecord();
        while (pos < off && next(skip)) {
            // only KEY records have effects here
        }
    }

    /** The position just after the last record returned. */
    public long position() {
        return Records.position(segment, pos);
    }

    /**
     * Reads the next record into {@code r}; returns false when there is none (yet). KEY records
     * are consumed here and never returned.
     */
    public boolean next(SpoolRecord r) {
        while (true) {
            if (Records.position(segment, pos) >= limit.getAsLong() || pos >= buf.capacity()) {
                return false;
            }
            byte type = buf.get(pos);
            java.lang.invoke.VarHandle.acquireFence();
            switch (type) {
                case Records.END:
                    return false;
                case Records.NEXT:
                    if (!Files.exists(dir.resolve(Records.segmentName(segment + 1)))) {
                        return false;
                    }
                    Mapped.unmap(buf);
                    open(segment + 1);
                    continue;
                case Records.KEY: {
                    int id = buf.getInt(pos + 1);
                    int p = pos + 5;
                    String key = string(p);
                    if (id >= keys.length) {
                        keys = Arrays.copyOf(keys, Math.max(id + 1, keys.length * 2));
                    }
                    keys[id] = key;
                    pos = p + 4 + buf.getInt(p);
                    continue;
                }
                case Records.METRIC:
                    r.key = keys[buf.getInt(pos + 1)];
                    r.step = buf.getLong(pos + 5);
                    r.timestamp = buf.getLong(pos + 13);
                    r.value = buf.getDouble(pos + 21);
                    pos += Records.METRIC_SIZE;
                    break;
                case Records.PARAM:
                case Records.TAG:
                case Records.ARTIFACT: {
                    int p = pos + 1;
                    r.key = string(p);
                    p += 4 + buf.getInt(p);
                    r.text = string(p);
                    pos = p + 4 + buf.getInt(p);
                    break;
                }
                case Records.INPUT:
                    r.text = string(pos + 1);
                    pos += 1 + 4 + buf.getInt(pos + 1);
                    break;
                case Records.STATUS:
                    r.status = buf.get(pos + 1);
                    r.timestamp = buf.getLong(pos + 2);
                    pos += 10;
                    break;
                default:
                    throw new IllegalStateException("Corrupt spool record type " + type + " at " + segment + ":" + pos + " in " + dir);
            }
            r.type = type;
            r.end = Records.position(segment, pos);
            return true;
        }
    }

    private String string(int p) {
        int len = buf.getInt(p);
        byte[] b = new byte[len];
        buf.get(p + 4, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void open(int seg) {
        buf = Mapped.readOnly(dir.resolve(Records.segmentName(seg)));
        if (buf.capacity() < Records.HEADER || buf.getInt(0) != Records.MAGIC) {
            throw new IllegalStateException("Not a spool segment: " + dir.resolve(Records.segmentName(seg)));
        }
        segment = seg;
        pos = Records.HEADER;
        Arrays.fill(keys, null);
    }

    @Override
    public void close() {
        Mapped.unmap(buf);
        buf = null;
    }

    /** The segment indexes present in {@code dir}, ascending. */
    public static List<Integer> segments(Path dir) {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("seg-") && n.endsWith(".lbs"))
                    .forEach(n -> out.add(Integer.parseInt(n.substring(4, n.length() - 4))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** The position after the last complete record of the spool, or -1 when it has no segments. */
    public static long findEnd(Path dir) {
        List<Integer> segs = segments(dir);
        if (segs.isEmpty()) {
            return -1;
        }
        int last = segs.get(segs.size() - 1);
        try (SpoolReader r = new SpoolReader(dir, Records.position(last, Records.HEADER), () -> Long.MAX_VALUE)) {
            SpoolRecord rec = new SpoolRecord();
            while (r.next(rec)) {
                // scan to the end
            }
            return r.position();
        }
    }
}
