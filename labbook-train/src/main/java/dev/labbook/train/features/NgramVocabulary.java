package dev.labbook.train.features;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A vocabulary of word n-grams mapping each to a feature id, built from training texts. N-grams
 * are packed into {@code long} keys of 21 bits per word id (so at most 2^21 - 1 distinct words and
 * n <= 3), counted in a primitive map, and filtered by document frequency and size. Tokenizing
 * and encoding run in parallel; ids depend only on the texts, never on thread timing.
 */
public final class NgramVocabulary {
    /** The longest n-gram a key can hold. */
    public static final int MAX_N = 3;
    static final int BITS = 21;
    private static final int MAX_WORDS = (1 << BITS) - 1;
    /** "LBVOCAB1": the first bytes of a binary vocabulary file. */
    private static final long BINARY_MAGIC = 0x4C42564F43414231L;

    private final NgramConfig config;
    /** Word i at index i (index 0 unused): the words the n-gram keys are made of. */
    private final String[] wordsById;
    private final WordTable wordTable;
    /** The n-gram key of each feature id. */
    private final long[] keys;
    /** The String-keyed tables of {@link #encode}, built on first use (serving never needs them). */
    private volatile Encoder encoder;

    private record Encoder(Map<String, Integer> words, LongIntMap featureIds) {}

    private NgramVocabulary(NgramConfig config, String[] wordsById, long[] keys, Encoder encoder) {
        this.config = config;
        this.wordsById = wordsById;
        this.wordTable = new WordTable(wordsById);
        this.keys = keys;
        this.encoder = encoder;
    }

    /** The result of building: the vocabulary and the training texts already encoded with it. */
    public record Built(NgramVocabulary vocabulary, int[][] encoded) {}

    /** Builds the vocabulary from {@code texts} and encodes them. */
    public static Built build(List<String> texts, NgramConfig config) {
        List<List<String>> tokens = tokenizeAll(texts);
        Map<String, Integer> words = new HashMap<>();
        int[][] wordIds = new int[tokens.size()][];
        for (int d = 0; d < wordIds.length; d++) {
            List<String> doc = tokens.get(d);
            int[] ids = new int[doc.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = words.get(doc.get(i));
                if (id == null && words.size() < MAX_WORDS) {
                    id = words.size() + 1;
                    words.put(doc.get(i), id);
                }
                ids[i] = id == null ? 0 : id;
            }
            wordIds[d] = ids;
        }
        long[][] keys = new long[wordIds.length][];
        IntStream.range(0, keys.length).parallel().forEach(d -> keys[d] = uniqueKeys(wordIds[d], config));
        LongIntMap counts = new LongIntMap(1 << 20);
        for (long[] doc : keys) {
            for (long k : doc) {
                counts.addTo(k, 1);
            }
        }
        long[] kept = select(counts, config);
        LongIntMap featureIds = new LongIntMap(kept.length);
        for (int i = 0; i < kept.length; i++) {
            featureIds.put(kept[i], i);
        }
        String[] byId = new String[words.size() + 1];
        words.forEach((w, id) -> byId[id] = w);
        NgramVocabulary vocab = new NgramVocabulary(config, byId, kept, new Encoder(words, featureIds));
        int[][] encoded = new int[keys.length][];
        IntStream.range(0, keys.length).parallel().forEach(d -> encoded[d] = vocab.lookup(keys[d]));
        return new Built(vocab, encoded);
    }

    /** Feature ids of {@code text}: sorted, each once (binary bag of n-grams). */
    public int[] encode(String text) {
        Map<String, Integer> words = encoder().words();
        List<String> tokens = Tokenizer.tokenize(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = words.getOrDefault(tokens.get(i), 0);
        }
        return lookup(uniqueKeys(ids, config));
    }

    /**
     * The word ids of {@code text}'s tokens (0 for a word outside the vocabulary) into
     * {@code buffer}, grown as needed; returns how many. No String per token: the scoring path.
     */
    int wordIds(String text, IntBuffer buffer) {
        buffer.size = 0;
        Tokenizer.scan(text, (chars, length) -> buffer.add(wordTable.id(chars, length)));
        return buffer.size;
    }

    /** A growable int array reused across calls of one thread. */
    static final class IntBuffer {
        int[] values = new int[256];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /** The n-gram key of feature {@code id}. */
    long key(int id) {
        return keys[id];
    }

    /** How many words the n-gram {@code key} has. */
    static int length(long key) {
        return (64 - Long.numberOfLeadingZeros(key) + BITS - 1) / BITS;
    }

    /** The key of the n-gram {@code ids[from..from+n)}, all of them known words (non-zero). */
    static long key(int[] ids, int from, int n) {
        long key = 0;
        for (int j = from; j < from + n; j++) {
            key = (key << BITS) | ids[j];
        }
        return key;
    }

    private Encoder encoder() {
        Encoder e = encoder;
        if (e == null) {
            synchronized (this) {
                e = encoder;
                if (e == null) {
                    Map<String, Integer> words = new HashMap<>(wordsById.length * 2);
                    for (int id = 1; id < wordsById.length; id++) {
                        words.put(wordsById[id], id);
                    }
                    LongIntMap featureIds = new LongIntMap(keys.length);
                    for (int f = 0; f < keys.length; f++) {
                        featureIds.put(keys[f], f);
                    }
                    e = new Encoder(words, featureIds);
                    encoder = e;
                }
            }
        }
        return e;
    }

    /** Encodes many texts in parallel. */
    public int[][] encodeAll(List<String> texts) {
        int[][] out = new int[texts.size()][];
        IntStream.range(0, out.length).parallel().forEach(d -> out[d] = encode(texts.get(d)));
        return out;
    }

    /** Number of features. */
    public int size() {
        return keys.length;
    }

    /** The n-gram of feature {@code id}, words joined by a space. */
    public String ngram(int id) {
        return render(keys[id], wordsById);
    }

    /** The configuration it was built with. */
    public NgramConfig config() {
        return config;
    }

    /** Writes one n-gram per line, line i holding feature i. */
    public void save(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long key : keys) {
                w.write(render(key, wordsById));
                w.write('\n');
            }
        }
    }

    /**
     * Reads a vocabulary written by {@link #save}. Word ids are assigned afresh, which yields the
     * same features: a word outside every kept n-gram never contributed one.
     */
    public static NgramVocabulary load(Path file, NgramConfig config) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        Map<String, Integer> words = new HashMap<>();
        long[] keys = new long[lines.size()];
        for (int f = 0; f < lines.size(); f++) {
            String[] parts = lines.get(f).split(" ");
            long key = 0;
            for (String p : parts) {
                int id = words.computeIfAbsent(p, k -> words.size() + 1);
                key = (key << BITS) | id;
            }
            keys[f] = key;
        }
        String[] byId = new String[words.size() + 1];
        words.forEach((w, id) -> byId[id] = w);
        return new NgramVocabulary(config, byId, keys, null);
    }

    /**
     * Writes the compact binary form that {@link #loadBinary} reads in a fraction of the text
     * form's time: a magic, the words (length-prefixed UTF-8, id order), then each feature's key.
     */
    public void saveBinary(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(BINARY_MAGIC);
            out.writeInt(wordsById.length - 1);
            for (int id = 1; id < wordsById.length; id++) {
                byte[] utf8 = wordsById[id].getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            out.writeInt(keys.length);
            for (long key : keys) {
                out.writeLong(key);
            }
        }
    }

    /** Reads a vocabulary written by {@link #saveBinary}: the same words, ids and features. */
    public static NgramVocabulary loadBinary(Path file, NgramConfig config) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 12 || in.getLong() != BINARY_MAGIC) {
            throw new IOException(file + " is not a Labbook binary vocabulary");
        }
        try {
            String[] byId = new String[in.getInt() + 1];
            for (int id = 1; id < byId.length; id++) {
                int length = in.getInt();
                byId[id] = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
            }
            long[] keys = new long[in.getInt()];
            in.asLongBuffer().get(keys);
            return new NgramVocabulary(config, byId, keys, null);
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(file + " is truncated or corrupt", e);
        }
    }

    private static List<List<String>> tokenizeAll(List<String> texts) {
        List<List<String>> out = new ArrayList<>(texts.size());
        @SuppressWarnings("unchecked")
        List<String>[] arr = new List[texts.size()];
        IntStream.range(0, arr.length).parallel().forEach(i -> arr[i] = Tokenizer.tokenize(texts.get(i)));
        out.addAll(Arrays.asList(arr));
        return out;
    }

    /** The distinct n-gram keys of a document; n-grams touching an unknown word (id 0) are skipped. */
    private static long[] uniqueKeys(int[] ids, NgramConfig config) {
        long[] keys = new long[ids.length * (config.maxN() - config.minN() + 1)];
        int k = 0;
        for (int n = config.minN(); n <= config.maxN(); n++) {
            for (int i = 0; i + n <= ids.length; i++) {
                long key = 0;
                boolean known = true;
                for (int j = i; j < i + n; j++) {
                    known &= ids[j] != 0;
                    key = (key << BITS) | ids[j];
                }
                if (known) {
                    keys[k++] = key;
                }
            }
        }
        Arrays.sort(keys, 0, k);
        int u = 0;
        for (int i = 0; i < k; i++) {
            if (u == 0 || keys[i] != keys[u - 1]) {
                keys[u++] = keys[i];
            }
        }
        return Arrays.copyOf(keys, u);
    }

    /** Keys with enough documents, the most frequent first (ties by key), at most maxSize. */
    private static long[] select(LongIntMap counts, NgramConfig config) {
        int[] n = {0};
        counts.forEach((k, c) -> n[0] += c >= config.minCount() ? 1 : 0);
        long[] keys = new long[n[0]];
        int[] at = {0};
        counts.forEach((k, c) -> {
            if (c >= config.minCount()) {
                keys[at[0]++] = k;
            }
        });
        Arrays.sort(keys);
        // primitive sort of (inverted count, rank by key): most frequent first, ties by key
        long[] order = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = ((long) (Integer.MAX_VALUE - counts.get(keys[i], 0)) << 32) | i;
        }
        Arrays.sort(order);
        int size = config.maxSize() > 0 ? Math.min(config.maxSize(), order.length) : order.length;
        long[] kept = new long[size];
        for (int i = 0; i < size; i++) {
            kept[i] = keys[(int) order[i]];
        }
        return kept;
    }

    private int[] lookup(long[] keys) {
        LongIntMap featureIds = encoder().featureIds();
        int[] ids = new int[keys.length];
        int k = 0;
        for (long key : keys) {
            int id = featureIds.get(key, -1);
            if (id >= 0) {
                ids[k++] = id;
            }
        }
        int[] out = Arrays.copyOf(ids, k);
        Arrays.sort(out);
        return out;
    }

    private static String render(long key, String[] byId) {
        StringBuilder sb = new StringBuilder();
        while (key != 0) {
            String w = byId[(int) (key & MAX_WORDS)];
            sb.insert(0, sb.length() == 0 ? w : w + " ");
            key >>>= BITS;
        }
        return sb.toString();
    }
}
