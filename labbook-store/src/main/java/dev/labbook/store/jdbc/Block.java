package dev.labbook.store.jdbc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code metric_blocks}: the {@link Span} of up to {@value #POINTS} consecutive points
 * of a series, and the spans of its chunks, the runs of {@value #CHUNK_POINTS} points that follow
 * one another from its first point. A chart reads the span of a block that falls wholly inside one
 * bucket, the chunks of a block that straddles a bucket edge, and points only in the chunk that
 * straddles it.
 *
 * <p>Stored as one blob (every column read is a native call in the JDBC driver, and a chart reads
 * thousands of blocks): a version byte, the span with absolute keys, then the chunks with steps
 * and timestamps as variable-length differences from the block's first point (a few bytes
 * instead of sixteen). The chunks are decoded only when asked for.
 */
final class Block {
    /**
     * Points per block. A chart reads every block of its window, the chunks of the blocks that
     * straddle a bucket edge and the points of the chunks that do: about points/1024 blocks plus
     * buckets*32 points. Large blocks matter to ingestion: each block that fills is written into
     * its series' stretch of the table, one more page for the commit and the checkpoint to write
     * (measured, 10 series per log-batch: 128-point blocks wrote 49% more bytes per point than no
     * blocks at all, 1024-point blocks of 32-point chunks 20%).
     */
    static final int POINTS = 1024;
    /** Points per chunk. */
    static final int CHUNK_POINTS = 32;

    private static final byte VERSION = 1;
    private static final int FIRST_NAN = 1;
    private static final int LAST_NAN = 2;
    private static final int HAS_MIN_MAX = 4;
    private static final int HAS_NAN = 8;

    private final Span span;
    private final byte[] bytes;
    private final int chunksAt;
    private List<Span> chunks;

    private Block(Span span, List<Span> chunks, byte[] bytes, int chunksAt) {
        this.span = span;
        this.chunks = chunks;
        this.bytes = bytes;
        this.chunksAt = chunksAt;
    }

    Span span() {
        return span;
    }

    /** The chunks, in order: together they hold exactly the block's points. */
    List<Span> chunks() {
        if (chunks == null) {
            ByteBuffer b = ByteBuffer.wrap(bytes, chunksAt, bytes.length - chunksAt);
            int n = b.get() & 0xff;
            List<Span> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(relative(b, span.first()));
            }
            chunks = out;
        }
        return chunks;
    }

    /** The blob of {@code metric_blocks.summary}. */
    byte[] encode() {
        if (bytes != null) {
            return bytes;
        }
        List<Span> cs = chunks();
        ByteBuffer b = ByteBuffer.allocate(128 + 150 * cs.size());
        b.put(VERSION);
        absolute(b, span);
        b.put((byte) cs.size());
        for (Span c : cs) {
            relative(b, c, span.first());
        }
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    /** A block read from its blob; its chunks are decoded on first use. */
    static Block decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != VERSION) {
            throw new IllegalStateException("Unknown metric block format " + bytes[0]);
        }
        Span span = absolute(b);
        return new Block(span, null, bytes, b.position());
    }

    // ------------------------------------------------------------------ encoding

    private static int flags(Span s) {
        return (s.first().nan() ? FIRST_NAN : 0) | (s.last().nan() ? LAST_NAN : 0)
                | (s.min() != null ? HAS_MIN_MAX : 0) | (s.firstNan() != null ? HAS_NAN : 0);
    }

    private static void absolute(ByteBuffer b, Span s) {
        b.put((byte) flags(s));
        putVarLong(b, s.count());
        for (PointKey p : new PointKey[] {s.first(), s.last(), s.min(), s.max()}) {
            if (p != null) {
                b.putLong(p.step()).putLong(p.timestamp()).putDouble(p.value());
            }
        }
        if (s.firstNan() != null) {
            b.putLong(s.firstNan().step()).putLong(s.firstNan().timestamp());
        }
    }

    private static Span absolute(ByteBuffer b) {
        int flags = b.get();
        long count = getVarLong(b);
        PointKey first = new PointKey(b.getLong(), b.getLong(), b.getDouble(), (flags & FIRST_NAN) != 0);
        PointKey last = new PointKey(b.getLong(), b.getLong(), b.getDouble(), (flags & LAST_NAN) != 0);
        PointKey min = null;
        PointKey max = null;
        if ((flags & HAS_MIN_MAX) != 0) {
            min = new PointKey(b.getLong(), b.getLong(), b.getDouble(), false);
            max = new PointKey(b.getLong(), b.getLong(), b.getDouble(), false);
        }
        PointKey nan = (flags & HAS_NAN) != 0 ? new PointKey(b.getLong(), b.getLong(), 0.0, true) : null;
        return new Span(first, last, count, min, max, nan);
    }

    private static void relative(ByteBuffer b, Span s, PointKey base) {
        b.put((byte) flags(s));
        putVarLong(b, s.count());
        for (PointKey p : new PointKey[] {s.first(), s.last(), s.min(), s.max()}) {
            if (p != null) {
                putVarLong(b, p.step() - base.step());
                putVarLong(b, p.timestamp() - base.timestamp());
                b.putDouble(p.value());
            }
        }
        if (s.firstNan() != null) {
            putVarLong(b, s.firstNan().step() - base.step());
            putVarLong(b, s.firstNan().timestamp() - base.timestamp());
        }
    }

    private static Span relative(ByteBuffer b, PointKey base) {
        int flags = b.get();
        long count = getVarLong(b);
        PointKey first = relativeKey(b, base, (flags & FIRST_NAN) != 0);
        PointKey last = relativeKey(b, base, (flags & LAST_NAN) != 0);
        PointKey min = null;
        PointKey max = null;
        if ((flags & HAS_MIN_MAX) != 0) {
            min = relativeKey(b, base, false);
            max = relativeKey(b, base, false);
        }
        PointKey nan = null;
        if ((flags & HAS_NAN) != 0) {
            long step = base.step() + getVarLong(b);
            nan = new PointKey(step, base.timestamp() + getVarLong(b), 0.0, true);
        }
        return new Span(first, last, count, min, max, nan);
    }

    private static PointKey relativeKey(ByteBuffer b, PointKey base, boolean nan) {
        long step = base.step() + getVarLong(b);
        long ts = base.timestamp() + getVarLong(b);
        return new PointKey(step, ts, b.getDouble(), nan);
    }

    /** A signed number in 1 to 10 bytes: zigzag (small magnitudes first), 7 bits per byte. */
    private static void putVarLong(ByteBuffer b, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            b.put((byte) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        b.put((byte) z);
    }

    private static long getVarLong(ByteBuffer b) {
        long z = 0;
        int shift = 0;
        byte x;
        do {
            x = b.get();
            z |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0);
        return (z >>> 1) ^ -(z & 1);
    }

    // ------------------------------------------------------------------ building

    /** Builds a block point by point, in key order, possibly continuing a stored one. */
    static final class Builder {
        private final Accumulator block = new Accumulator();
        private final Accumulator chunk = new Accumulator();
        private final List<Span> chunks = new ArrayList<>(POINTS / CHUNK_POINTS);

        Builder() {}

        /** Continues {@code stored}: the points added come after its last one. */
        Builder(Block stored) {
            block.start(stored.span());
            List<Span> cs = stored.chunks();
            chunks.addAll(cs.subList(0, cs.size() - 1));
            chunk.start(cs.get(cs.size() - 1));
        }

        void add(PointKey p) {
            if (chunk.count == CHUNK_POINTS) {
                chunks.add(chunk.span());
                chunk.clear();
            }
            block.add(p);
            chunk.add(p);
        }

        long count() {
            return block.count;
        }

        Block build() {
            List<Span> all = new ArrayList<>(chunks.size() + 1);
            all.addAll(chunks);
            all.add(chunk.span());
            return new Block(block.span(), all, null, 0);
        }
    }

    /**
     * A {@link Span} being built, without a new record per point: ingestion adds every point of
     * every batch to one of these. Strict comparisons keep the earlier point on a tie.
     */
    private static final class Accumulator {
        private PointKey first;
        private PointKey last;
        private long count;
        private PointKey min;
        private PointKey max;
        private PointKey nan;

        void start(Span s) {
            first = s.first();
            last = s.last();
            count = s.count();
            min = s.min();
            max = s.max();
            nan = s.firstNan();
        }

        void clear() {
            first = null;
            last = null;
            count = 0;
            min = null;
            max = null;
            nan = null;
        }

        void add(PointKey p) {
            if (count++ == 0) {
                first = p;
            }
            last = p;
            if (p.nan()) {
                nan = nan == null ? p : nan;
            } else {
                if (min == null || p.value() < min.value()) {
                    min = p;
                }
                if (max == null || p.value() > max.value()) {
                    max = p;
                }
            }
        }

        Span span() {
            return new Span(first, last, count, min, max, nan);
        }
    }
}
