package dev.labbook.store.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Keeps recently charted metric series in memory as primitive columns, so that sampling a
 * million-point series for a chart costs milliseconds rather than a full read of its rows.
 * Bounded by a byte budget, least recently used first out. Every write to a series invalidates
 * it; a load that raced with a write is not kept.
 */
final class SeriesCache {
    private final long budgetBytes;
    private final AtomicLong clock = new AtomicLong();
    private final Map<Long, Long> invalidatedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final LinkedHashMap<Long, Series> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    SeriesCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The cached series, or the one {@code loader} reads (and caches when it fits). */
    Series get(long seriesId, LongFunction<Series> loader) {
        synchronized (this) {
            Series s = entries.get(seriesId);
            if (s != null) {
                return s;
            }
        }
        long stamp = clock.incrementAndGet();
        Series loaded = loader.apply(seriesId);
        Long inval = invalidatedAt.get(seriesId);
        if ((inval == null || inval < stamp) && loaded.bytes() <= budgetBytes / 2) {
            synchronized (this) {
                Series old = entries.put(seriesId, loaded);
                bytes += loaded.bytes() - (old == null ? 0 : old.bytes());
                var it = entries.entrySet().iterator();
                while (bytes > budgetBytes && it.hasNext()) {
                    bytes -= it.next().getValue().bytes();
                    it.remove();
                }
            }
        }
        return loaded;
    }

    /** Drops a series that was just written to. */
    void invalidate(long seriesId) {
        invalidatedAt.put(seriesId, clock.incrementAndGet());
        synchronized (this) {
            Series old = entries.remove(seriesId);
            if (old != null) {
                bytes -= old.bytes();
            }
        }
    }
}
