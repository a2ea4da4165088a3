package dev.labbook.server.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values valid while the auth store's version stays what it was when they were computed, and at
 * most until their own end of life. Bounded: past {@code maxEntries} it starts over.
 */
final class VersionedCache<K, V> {
    private record Entry<V>(V value, long version, long expiresAt) {}

    private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
    private final int maxEntries;

    VersionedCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The cached value, or null when absent, stale or expired. */
    V get(K key, long version, long now) {
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (e.version() != version || now >= e.expiresAt()) {
            map.remove(key, e);
            return null;
        }
        return e.value();
    }

    void put(K key, V value, long version, long expiresAt) {
        if (map.size() >= maxEntries) {
            map.clear();
        }
        map.put(key, new Entry<>(value, version, expiresAt));
    }

    V computeIfAbsent(K key, long version, long now, long ttlMillis, Supplier<V> compute) {
        V v = get(key, version, now);
        if (v == null) {
            v = compute.get();
            put(key, v, version, now + ttlMillis);
        }
        return v;
    }

    void clear() {
        map.clear();
    }
}
