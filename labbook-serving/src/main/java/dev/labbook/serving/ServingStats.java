package dev.labbook.serving;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code /invocations} did since the last {@link #drain}: requests, failed requests, rows
 * scored and a latency histogram. Recording is lock-free (adders and one atomic bucket array),
 * so it costs the request path next to nothing; percentiles come from buckets 1/16 of a power
 * of two wide (about 4% of relative error), from 1 microsecond to over a minute.
 */
public final class ServingStats {
    private static final int SUB = 16;
    private static final int BUCKETS = 37 * SUB;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);

    /** One interval's figures; the latencies in milliseconds (NaN when there was no request). */
    public record Snapshot(long requests, long errors, long rows, double p50Ms, double p95Ms, double p99Ms) {}

    /** One request that took {@code nanos}: answered with {@code scoredRows} rows, or failed when {@code failed}. */
    public void record(long nanos, int scoredRows, boolean failed) {
        requests.increment();
        if (failed) {
            errors.increment();
        } else {
            rows.add(scoredRows);
        }
        latency.incrementAndGet(bucket(Math.max(1, nanos / 1000)));
    }

    /**
     * The figures since the previous call, and a fresh start. A request recorded while this runs
     * lands in this interval or the next, never in none.
     */
    public Snapshot drain() {
        long n = requests.sumThenReset();
        long e = errors.sumThenReset();
        long r = rows.sumThenReset();
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = latency.getAndSet(i, 0);
            total += counts[i];
        }
        return new Snapshot(n, e, r, percentile(counts, total, 0.50), percentile(counts, total, 0.95), percentile(counts, total, 0.99));
    }

    /** Bucket of a latency in microseconds: the power of two, then which of its 16 sub-ranges. */
    static int bucket(long micros) {
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = exponent < 4 ? (int) (micros << (4 - exponent)) & (SUB - 1) : (int) (micros >>> (exponent - 4)) & (SUB - 1);
        return Math.min(BUCKETS - 1, exponent * SUB + sub);
    }

    /** The middle of bucket {@code b}, in microseconds. */
    static double value(int b) {
        int exponent = b / SUB;
        double low = Math.scalb(1.0 + (b % SUB) / (double) SUB, exponent);
        return low + Math.scalb(1.0 / SUB, exponent) / 2;
    }

    private static double percentile(long[] counts, long total, double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(i) / 1000.0;
            }
        }
        return value(counts.length - 1) / 1000.0;
    }
}
