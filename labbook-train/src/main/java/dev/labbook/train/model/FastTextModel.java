package dev.labbook.train.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fastText-style model at prediction time: texts become n-gram ids (see {@link #ids}),
 * scored in batches by a {@link FastTextBlock} on DJL's PyTorch engine (CPU).
 */
public final class FastTextModel implements SentimentModel, AutoCloseable {
    /** The flavor name. */
    public static final String FLAVOR = "fasttext";
    private static final String VOCABULARY = "vocabulary.txt";
    private static final String WEIGHTS = "weights.params";
    private static final int BATCH = 512;

    private final NgramVocabulary vocabulary;
    private final Model model;
    private final int dimension;
    private final int maxTokens;
    private final float dropout;

    /** A model around a trained (or loaded) DJL model whose block is a {@link FastTextBlock}. */
    public FastTextModel(NgramVocabulary vocabulary, Model model, int dimension, int maxTokens, float dropout) {
        this.vocabulary = vocabulary;
        this.model = model;
        this.dimension = dimension;
        this.maxTokens = maxTokens;
        this.dropout = dropout;
    }

    /**
     * The block's input for encoded texts: feature ids shifted by one (0 is padding), at most
     * {@code maxTokens} per text, keeping the lowest ids, i.e. the most frequent n-grams.
     */
    public static long[] ids(int[] features, int maxTokens) {
        int n = Math.min(features.length, maxTokens);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = features[i] + 1L;
        }
        return out;
    }

    /** A (batch, longest) int64 array of ids, right-padded with 0. */
    public static NDArray batch(NDManager manager, List<long[]> docs) {
        int len = Math.max(1, docs.stream().mapToInt(d -> d.length).max().orElse(1));
        long[] flat = new long[docs.size() * len];
        for (int i = 0; i < docs.size(); i++) {
            System.arraycopy(docs.get(i), 0, flat, i * len, docs.get(i).length);
        }
        return manager.create(flat, new Shape(docs.size(), len));
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public double score(String text) {
        return scoreAll(List.of(text))[0];
    }

    /** Scores in batches; PyTorch parallelizes inside each batch. */
    @Override
    public double[] scoreAll(List<String> texts) {
        int[][] encoded = vocabulary.encodeAll(texts);
        double[] out = new double[texts.size()];
        for (int start = 0; start < out.length; start += BATCH) {
            int end = Math.min(out.length, start + BATCH);
            List<long[]> docs = Arrays.stream(encoded, start, end).map(f -> ids(f, maxTokens)).toList();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList logits = model.getBlock().forward(new ParameterStore(m, false), new NDList(batch(m, docs)), false);
                float[] p = logits.singletonOrThrow().softmax(1).get(":, 1").toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < p.length; i++) {
                    out[start + i] = p[i];
                }
            }
        }
        return out;
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        vocabulary.save(dir.resolve(VOCABULARY));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(WEIGHTS))))) {
            model.getBlock().saveParameters(out);
        }
        NgramConfig c = vocabulary.config();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("min_n", c.minN());
        settings.put("max_n", c.maxN());
        settings.put("min_count", c.minCount());
        settings.put("max_vocab", c.maxSize());
        settings.put("features", vocabulary.size());
        settings.put("embedding_size", dimension);
        settings.put("max_tokens", maxTokens);
        settings.put("dropout", (double) dropout);
        settings.put("engine", "PyTorch");
        new ModelDescriptor(FLAVOR, List.of(VOCABULARY, WEIGHTS), settings).write(dir);
    }

    /** Loads a model saved by {@link #save}. */
    static FastTextModel load(Path dir, ModelDescriptor d) throws IOException {
        DjlSetup.configure();
        NgramConfig c = new NgramConfig(d.intSetting("min_n"), d.intSetting("max_n"), d.intSetting("min_count"), d.intSetting("max_vocab"));
        NgramVocabulary vocabulary = NgramVocabulary.load(dir.resolve(VOCABULARY), c);
        int dim = d.intSetting("embedding_size");
        float dropout = (float) d.doubleSetting("dropout");
        Model model = Model.newInstance("fasttext", "PyTorch");
        FastTextBlock block = new FastTextBlock(vocabulary.size() + 1, dim, dropout);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(WEIGHTS))))) {
            block.loadParameters(model.getNDManager(), in);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("the weights in " + dir + " do not fit the model: " + e.getMessage(), e);
        }
        return new FastTextModel(vocabulary, model, dim, d.intSetting("max_tokens"), dropout);
    }

    /** Releases the native memory of the weights. */
    @Override
    public void close() {
        model.close();
    }
}
