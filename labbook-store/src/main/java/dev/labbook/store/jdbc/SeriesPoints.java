package dev.labbook.store.jdbc;

import dev.labbook.core.model.Metric;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of one log-batch grouped by series: series {@code s} owns {@code keys[start(s),
 * end(s))}, sorted in key order with repeats dropped.
 */
record SeriesPoints(long[] seriesIds, PointKey[] keys, int[] starts, int[] ends) {

    /** Groups {@code metrics} by the series {@code ids} gives each key. */
    static SeriesPoints group(List<Metric> metrics, Map<String, Long> ids) {
        int n = metrics.size();
        // A counting sort on each key's position among the series keeps this linear.
        Map<String, Integer> slot = new HashMap<>();
        long[] series = new long[ids.size()];
        for (var e : ids.entrySet()) {
            series[slot.size()] = e.getValue();
            slot.put(e.getKey(), slot.size());
        }
        int[] start = new int[series.length + 1];
        int[] slotOf = new int[n];
        for (int i = 0; i < n; i++) {
            int s = slot.get(metrics.get(i).key());
            slotOf[i] = s;
            start[s + 1]++;
        }
        for (int s = 0; s < series.length; s++) {
            start[s + 1] += start[s];
        }
        int[] fill = Arrays.copyOf(start, series.length);
        PointKey[] keys = new PointKey[n];
        for (int i = 0; i < n; i++) {
            keys[fill[slotOf[i]]++] = PointKey.of(metrics.get(i));
        }
        int[] starts = Arrays.copyOf(start, series.length);
        int[] ends = new int[series.length];
        for (int s = 0; s < series.length; s++) {
            if (ascending(keys, start[s], start[s + 1])) {
                ends[s] = start[s + 1]; // logged in order, no repeats: the usual case, nothing to do
                continue;
            }
            Arrays.sort(keys, start[s], start[s + 1]);
            int end = start[s];
            for (int i = start[s]; i < start[s + 1]; i++) {
                if (end == start[s] || !keys[end - 1].equals(keys[i])) {
                    keys[end++] = keys[i];
                }
            }
            ends[s] = end;
        }
        return new SeriesPoints(series, keys, starts, ends);
    }

    private static boolean ascending(PointKey[] keys, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (!keys[i - 1].before(keys[i])) {
                return false;
            }
        }
        return true;
    }

    int seriesCount() {
        return seriesIds.length;
    }

    long seriesId(int s) {
        return seriesIds[s];
    }

    int start(int s) {
        return starts[s];
    }

    int end(int s) {
        return ends[s];
    }
}
