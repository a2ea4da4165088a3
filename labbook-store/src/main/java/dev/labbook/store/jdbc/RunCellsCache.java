package dev.labbook.store.jdbc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs table's cells of recently shown runs, so that opening a table of ten thousand runs
 * reads only the runs' keys and change numbers, plus the cells of the runs that changed. An entry
 * is used only while the run's change number is the one it was read at: every write that changes
 * what the table shows gives the run a new number (the database's triggers and
 * {@link RunDao#changed}), whichever process makes it, except to a run that alone holds the
 * highest number, whose cells are therefore not cached. Bounded by a byte budget, least recently
 * used first out.
 *
 * <p>Safe with several replicas on one database: an entry is never served on its own, only for
 * a run whose change number the caller has just read from the database in the same snapshot as
 * the rest of the table, so another process's write, which gives the run a new number in the
 * database, makes the entry miss. Keys are shared strings only, and hold no data.
 */
final class RunCellsCache {
    private final long budgetBytes;
    private final LinkedHashMap<Long, RunCells> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<String, String> keys = new HashMap<>();
    private long bytes;

    RunCellsCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The cells of a run as of change number {@code changeSeq}, or null. */
    synchronized RunCells get(long runPk, long changeSeq) {
        RunCells c = entries.get(runPk);
        return c != null && c.changeSeq() == changeSeq ? c : null;
    }

    synchronized void put(long runPk, RunCells cells) {
        RunCells old = entries.put(runPk, cells);
        bytes += cells.bytes() - (old == null ? 0 : old.bytes());
        var it = entries.values().iterator();
        while (bytes > budgetBytes && it.hasNext()) {
            bytes -= it.next().bytes();
            it.remove();
        }
        if (entries.isEmpty()) {
            keys.clear();
        }
    }

    /** One shared copy of a param, metric or tag key: thousands of runs repeat the same few. */
    synchronized String key(String key) {
        if (keys.size() > 100_000) {
            keys.clear(); // a pathological number of distinct keys: stop sharing rather than grow
        }
        return keys.computeIfAbsent(key, k -> k);
    }
}
