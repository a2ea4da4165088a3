package dev.labbook.train.features;

import java.util.Arrays;

/**
 * The scoring side of a linear model over a vocabulary's n-grams: one open-addressing table from
 * n-gram key to (feature id, weight), so a scored n-gram costs one probe of one array (key,
 * weight and id side by side in a cache line) instead of a key table, a value table and a
 * weight array apart. {@link #sum} adds the weights in increasing feature id, the order of
 * {@code bias + sum(weights[encode(text)])}, so the result is bit for bit the same as that.
 * Immutable and safe to share between threads.
 */
public final class NgramWeights {
    private static final int STRIDE = 3;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final NgramVocabulary vocabulary;
    private final int minN;
    private final int maxN;
    /** Per slot: key (0 = empty), raw bits of the weight, feature id. */
    private final long[] table;
    private final int mask;
    /**
     * Whether every kept n-gram's two (n-1)-grams are kept too, as {@link NgramVocabulary#build}
     * guarantees from 1-grams up (an n-gram occurs in no more texts than its parts, which win
     * ties on rank). Then an n-gram whose parts are absent is absent and is not looked up: most
     * trigrams of a text are, and each lookup is a cache miss in a table of tens of MB.
     */
    private final boolean closed;

    private NgramWeights(NgramVocabulary vocabulary, double[] weights) {
        this.vocabulary = vocabulary;
        this.minN = vocabulary.config().minN();
        this.maxN = vocabulary.config().maxN();
        int n = vocabulary.size();
        int capacity = Integer.highestOneBit(Math.max(16, n * 2 - 1)) << 1;
        table = new long[capacity * STRIDE];
        mask = capacity - 1;
        for (int id = 0; id < n; id++) {
            long key = vocabulary.key(id);
            int slot = mix(key) & mask;
            while (table[slot * STRIDE] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot * STRIDE] = key;
            table[slot * STRIDE + 1] = Double.doubleToRawLongBits(weights[id]);
            table[slot * STRIDE + 2] = id;
        }
        closed = minN == 1 && partsAllKept(n);
    }

    /** Checked, not assumed: a vocabulary from elsewhere may lack the property, and then every n-gram is looked up. */
    private boolean partsAllKept(int n) {
        for (int id = 0; id < n; id++) {
            long key = vocabulary.key(id);
            int words = NgramVocabulary.length(key);
            if (words > 1 && (find(key >>> NgramVocabulary.BITS) < 0
                    || find(key & ((1L << (NgramVocabulary.BITS * (words - 1))) - 1)) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** The table of {@code weights}, one per feature of {@code vocabulary}. */
    public static NgramWeights of(NgramVocabulary vocabulary, double[] weights) {
        if (weights.length != vocabulary.size()) {
            throw new IllegalArgumentException("weights " + weights.length + " != vocabulary " + vocabulary.size());
        }
        return new NgramWeights(vocabulary, weights);
    }

    /** {@code start} plus the weight of every distinct n-gram of {@code text}, in feature id order. */
    public double sum(String text, double start) {
        Scratch s = SCRATCH.get();
        int n = vocabulary.wordIds(text, s.words);
        int[] words = s.words.values;
        long[] hits = s.hits(n * (maxN - minN + 1));
        int k = closed ? lookupClosed(words, n, hits, s.found(n)) : lookupAll(words, n, hits);
        Arrays.sort(hits, 0, k);
        double z = start;
        long previous = -1;
        for (int i = 0; i < k; i++) {
            long id = hits[i] >>> 32;
            if (id != previous) {
                z += Double.longBitsToDouble(table[(int) hits[i] * STRIDE + 1]);
                previous = id;
            }
        }
        return z;
    }

    /** Looks every n-gram of known words up; returns the number of hits. */
    private int lookupAll(int[] words, int n, long[] hits) {
        int k = 0;
        for (int len = minN; len <= maxN; len++) {
            int unknownAt = -1; // the last unknown word seen: an n-gram touching it is skipped
            for (int i = 0; i + len <= n; i++) {
                for (int j = Math.max(i, unknownAt + 1); j < i + len; j++) {
                    if (words[j] == 0) {
                        unknownAt = j;
                    }
                }
                if (unknownAt >= i) {
                    continue;
                }
                k = hit(NgramVocabulary.key(words, i, len), hits, k);
            }
        }
        return k;
    }

    /**
     * Looks up 1-grams, then only the n-grams whose two (n-1)-grams were found: {@code found[i]}
     * says whether the (len-1)-gram at i is kept.
     */
    private int lookupClosed(int[] words, int n, long[] hits, boolean[] found) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            int before = k;
            k = words[i] == 0 ? k : hit(words[i], hits, k);
            found[i] = k > before;
        }
        for (int len = 2; len <= maxN; len++) {
            for (int i = 0; i + len <= n; i++) {
                int before = k;
                if (found[i] && found[i + 1]) {
                    k = hit(NgramVocabulary.key(words, i, len), hits, k);
                }
                // found[i] now speaks of the len-gram at i; found[i + 1] is still read next
                found[i] = k > before;
            }
        }
        return k;
    }

    /** Appends the hit of {@code key}, if it is kept, as (id, slot); returns the new count. */
    private int hit(long key, long[] hits, int k) {
        int slot = find(key);
        if (slot < 0) {
            return k;
        }
        // sorted by id first; the slot rides in the low bits to find the weight again
        hits[k] = (table[slot * STRIDE + 2] << 32) | slot;
        return k + 1;
    }

    private int find(long key) {
        for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
            long k = table[slot * STRIDE];
            if (k == key) {
                return slot;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Per-thread buffers, so scoring a text allocates next to nothing. */
    private static final class Scratch {
        final NgramVocabulary.IntBuffer words = new NgramVocabulary.IntBuffer();
        long[] hits = new long[1024];
        boolean[] found = new boolean[256];

        boolean[] found(int atLeast) {
            if (found.length < atLeast) {
                found = new boolean[Math.max(atLeast, found.length * 2)];
            }
            return found;
        }

        long[] hits(int atLeast) {
            if (hits.length < atLeast) {
                hits = new long[Math.max(atLeast, hits.length * 2)];
            }
            return hits;
        }
    }
}
