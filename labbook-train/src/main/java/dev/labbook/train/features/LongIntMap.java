package dev.labbook.train.features;

/**
 * An open-addressing map from positive {@code long} keys to {@code int} values, for counting
 * millions of n-grams without boxing. Key 0 marks an empty slot, so keys must be non-zero.
 * Reads are safe from several threads once writing has stopped.
 */
public final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    /** A map sized for about {@code expected} keys before it grows. */
    public LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** Number of keys. */
    public int size() {
        return size;
    }

    /** Adds {@code delta} to the value of {@code key} (0 if absent). */
    public void addTo(long key, int delta) {
        int slot = find(key);
        if (keys[slot] == 0) {
            keys[slot] = key;
            values[slot] = delta;
            if (++size * 2 > keys.length) {
                grow();
            }
        } else {
            values[slot] += delta;
        }
    }

    /** Sets the value of {@code key}. */
    public void put(long key, int value) {
        int slot = find(key);
        if (keys[slot] == 0) {
            keys[slot] = key;
            values[slot] = value;
            if (++size * 2 > keys.length) {
                grow();
            }
        } else {
            values[slot] = value;
        }
    }

    /** The value of {@code key}, or {@code missing} if absent. */
    public int get(long key, int missing) {
        int slot = find(key);
        return keys[slot] == 0 ? missing : values[slot];
    }

    /** Visits every entry, in no particular order. */
    public void forEach(Entry visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                visitor.accept(keys[i], values[i]);
            }
        }
    }

    /** A visitor of entries. */
    @FunctionalInterface
    public interface Entry {
        void accept(long key, int value);
    }

    private int find(long key) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 is reserved");
        }
        int slot = mix(key) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Spreads the bits of packed n-gram keys, whose low bits alone cluster badly. */
    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = mix(oldKeys[i]) & mask;
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
