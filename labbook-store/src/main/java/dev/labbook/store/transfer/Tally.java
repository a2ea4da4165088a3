package dev.labbook.store.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of what a copy added and found already there, per kind of row or file. */
public final class Tally {
    private final Map<String, long[]> counts = new LinkedHashMap<>();

    synchronized void added(String kind, long n) {
        counts.computeIfAbsent(kind, k -> new long[2])[0] += n;
    }

    synchronized void present(String kind, long n) {
        counts.computeIfAbsent(kind, k -> new long[2])[1] += n;
    }

    /** What was added of {@code kind}. */
    public synchronized long added(String kind) {
        long[] c = counts.get(kind);
        return c == null ? 0 : c[0];
    }

    /** What of {@code kind} was already there. */
    public synchronized long present(String kind) {
        long[] c = counts.get(kind);
        return c == null ? 0 : c[1];
    }

    /** Everything added, over all kinds. */
    public synchronized long totalAdded() {
        return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    /** The kinds counted, in the order they were first counted. */
    public synchronized List<String> kinds() {
        return new ArrayList<>(counts.keySet());
    }

    /** One line per kind: {@code runs: added 3, already present 0}. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(String.format("%-22s added %,d, already present %,d", k + ":", c[0], c[1])));
        return out;
    }
}
