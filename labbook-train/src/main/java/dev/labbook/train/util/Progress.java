package dev.labbook.train.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal stream, redrawn at most five times a second so that it
 * costs nothing next to the work it reports. {@link #silent()} reports nothing (tests, libraries).
 */
public final class Progress implements AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private long done;
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /**
     * A bar on {@code out}.
     *
     * @param total the amount of work, or a value <= 0 when unknown (then only the count is shown)
     * @param unit {@code "MB"} shows byte counts as megabytes; anything else is printed after counts
     */
    public static Progress of(PrintStream out, String label, long total, String unit) {
        return new Progress(out, label, total, unit);
    }

    /** A progress that prints nothing. */
    public static Progress silent() {
        return new Progress(null, "", 0, "");
    }

    /** Adds {@code amount} units of work done. */
    public void advance(long amount) {
        set(done + amount);
    }

    /** Sets the work done so far. */
    public void set(long value) {
        done = value;
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (!drawn || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw();
        }
    }

    private void draw() {
        drawn = true;
        String count = "MB".equals(unit)
                ? String.format(Locale.ROOT, "%.1f/%.1f MB", done / 1e6, total / 1e6)
                : done + (total > 0 ? "/" + total : "") + " " + unit;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            out.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    Math.min(100, 100 * done / total), count);
        } else {
            out.printf(Locale.ROOT, "\r%s %s", label, count);
        }
        out.flush();
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (out != null) {
            draw();
            out.println();
            out.flush();
        }
    }
}
