package dev.labbook.store.jdbc;

import dev.labbook.core.model.RunInfo;

/**
 * What the runs table shows of one run, as of its change number: its attributes and its params,
 * latest metric values and user tags as parallel key and value arrays.
 */
record RunCells(long changeSeq, RunInfo info, String[] paramKeys, String[] paramValues, String[] metricKeys,
        double[] metricValues, String[] tagKeys, String[] tagValues) {

    /**
     * About the heap this holds, for {@link RunCellsCache}'s budget. Keys are shared between runs
     * (the cache keeps one copy of each), so they count as references only.
     */
    long bytes() {
        long b = 200 + chars(info.runId()) + chars(info.runName()) + chars(info.userId()) + chars(info.artifactUri());
        b += 16L * (paramKeys.length + metricKeys.length + tagKeys.length) + 8L * metricKeys.length;
        for (String v : paramValues) {
            b += chars(v);
        }
        for (String v : tagValues) {
            b += chars(v);
        }
        return b;
    }

    private static long chars(String s) {
        return s == null ? 0 : 48 + s.length();
    }
}
