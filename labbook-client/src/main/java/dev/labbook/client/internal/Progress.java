package dev.labbook.client.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bytes of a transfer and, for large ones, logs a progress line every few seconds,
 * so a person watching a slow multi-gigabyte upload knows it is moving.
 */
public final class Progress extends FilterInputStream {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    /** Transfers smaller than this stay silent. */
    public static final long LARGE = 64L << 20;
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final String what;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastReport = startNanos;

    public Progress(InputStream in, String what, long total) {
        super(in);
        this.what = what;
        this.total = total;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        done += n;
        if (total < LARGE) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastReport >= EVERY_NANOS || done == total) {
            lastReport = now;
            double secs = Math.max(1e-3, (now - startNanos) / 1e9);
            LOG.info("{}: {} / {} MB ({}%), {} MB/s", what, done >> 20, total >> 20,
                    total == 0 ? 100 : done * 100 / total, String.format("%.1f", done / secs / (1 << 20)));
        }
    }

    public long bytes() {
        return done;
    }
}
