package dev.labbook.store.jdbc;

/** A whole metric series in columns, sorted by step: what charts are sampled from. */
record Series(long[] steps, long[] timestamps, double[] values, int size) {

    /** Heap bytes this series holds, for the cache's budget. */
    long bytes() {
        return 24L * steps.length + 64;
    }
}
