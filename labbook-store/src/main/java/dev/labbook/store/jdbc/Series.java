package dev.labbook.store.jdbc;

/**
 * A whole metric series in columns, in key order: what {@link BulkIntervalDao#sampleAll} samples
 * when a series has no usable blocks.
 */
record Series(long[] steps, long[] timestamps, double[] values, int size) {}
