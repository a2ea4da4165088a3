package dev.labbook.train.features;

/**
 * An immutable map from words to their ids (1..n) that looks a word up by its characters, so a
 * token scanned into a reused buffer needs no String. Open addressing over one {@code long[]}
 * of (hash, id) pairs; the characters of all words sit in one {@code char[]}. Safe to read from
 * many threads.
 */
final class WordTable {
    private final long[] slots;
    private final int mask;
    private final char[] pool;
    private final int[] start;

    /** The table of {@code byId[1..]} ({@code byId[0]} unused): word {@code byId[i]} gets id i. */
    WordTable(String[] byId) {
        int chars = 0;
        for (int i = 1; i < byId.length; i++) {
            chars += byId[i].length();
        }
        pool = new char[chars];
        start = new int[byId.length + 1];
        int capacity = Integer.highestOneBit(Math.max(16, byId.length * 2 - 1)) << 1;
        slots = new long[capacity];
        mask = capacity - 1;
        int at = 0;
        for (int id = 1; id < byId.length; id++) {
            String w = byId[id];
            start[id] = at;
            w.getChars(0, w.length(), pool, at);
            at += w.length();
            int h = hash(pool, start[id], w.length());
            int slot = h & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = ((long) h << 32) | id;
        }
        start[byId.length] = at;
    }

    /** The id of the word {@code chars[0..length)}, or 0 if it is not in the table. */
    int id(char[] chars, int length) {
        int h = hash(chars, 0, length);
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            long s = slots[slot];
            if (s == 0) {
                return 0;
            }
            if ((int) (s >>> 32) == h) {
                int id = (int) s;
                if (equal(id, chars, length)) {
                    return id;
                }
            }
        }
    }

    private boolean equal(int id, char[] chars, int length) {
        int from = start[id];
        if (start[id + 1] - from != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (pool[from + i] != chars[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] chars, int from, int length) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + chars[i];
        }
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
