package dev.labbook.train.model;

import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.features.NgramWeights;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NB-weighted logistic regression at prediction time. Its input features are binary n-gram
 * indicators scaled by naive-Bayes log-count ratios r; the ratios are folded into the weights
 * ({@code w'_j = w_j * r_j}), so a score is one sparse sum and a sigmoid.
 */
public final class NbLrModel implements SentimentModel {
    /** The flavor name. */
    public static final String FLAVOR = "nblr";
    /** The vocabulary as text, one n-gram a line: what models saved before the binary form hold. */
    private static final String VOCABULARY = "vocabulary.txt";
    /** The same vocabulary in NgramVocabulary's binary form, which loads several times faster. */
    private static final String VOCABULARY_BINARY = "vocabulary.bin";
    private static final String WEIGHTS = "weights.bin";

    private final NgramVocabulary vocabulary;
    private final double[] weights;
    private final double bias;
    private final NgramWeights table;

    /** A model over {@code vocabulary} with one folded weight per feature. */
    public NbLrModel(NgramVocabulary vocabulary, double[] weights, double bias) {
        if (weights.length != vocabulary.size()) {
            throw new IllegalArgumentException("weights " + weights.length + " != vocabulary " + vocabulary.size());
        }
        this.vocabulary = vocabulary;
        this.weights = weights;
        this.bias = bias;
        this.table = NgramWeights.of(vocabulary, weights);
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public double score(String text) {
        // the same sum as scoreEncoded(vocabulary.encode(text)), in the same order, without
        // a String per token or the encoded array
        return sigmoid(table.sum(text, bias));
    }

    /** The score of an already encoded text ({@link NgramVocabulary#encode}): the same value as {@link #score}. */
    public double scoreEncoded(int[] features) {
        double z = bias;
        for (int f : features) {
            z += weights[f];
        }
        return sigmoid(z);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** The vocabulary. */
    public NgramVocabulary vocabulary() {
        return vocabulary;
    }

    /** The folded weight of feature {@code id}. */
    public double weight(int id) {
        return weights[id];
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        vocabulary.save(dir.resolve(VOCABULARY));
        vocabulary.saveBinary(dir.resolve(VOCABULARY_BINARY));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(WEIGHTS)), 1 << 16))) {
            out.writeInt(weights.length);
            out.writeDouble(bias);
            for (double w : weights) {
                out.writeDouble(w);
            }
        }
        NgramConfig c = vocabulary.config();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("min_n", c.minN());
        settings.put("max_n", c.maxN());
        settings.put("min_count", c.minCount());
        settings.put("max_vocab", c.maxSize());
        settings.put("features", weights.length);
        new ModelDescriptor(FLAVOR, List.of(VOCABULARY, VOCABULARY_BINARY, WEIGHTS), settings).write(dir);
    }

    /**
     * Loads a model saved by {@link #save}: the binary vocabulary when the model has one, else
     * (models saved before it existed) the text form.
     */
    static NbLrModel load(Path dir, ModelDescriptor d) throws IOException {
        NgramConfig c = new NgramConfig(d.intSetting("min_n"), d.intSetting("max_n"), d.intSetting("min_count"), d.intSetting("max_vocab"));
        Path binary = dir.resolve(VOCABULARY_BINARY);
        NgramVocabulary vocabulary = Files.isRegularFile(binary) ? NgramVocabulary.loadBinary(binary, c)
                : NgramVocabulary.load(dir.resolve(VOCABULARY), c);
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(WEIGHTS)));
        try {
            double[] weights = new double[in.getInt()];
            double bias = in.getDouble();
            in.asDoubleBuffer().get(weights);
            return new NbLrModel(vocabulary, weights, bias);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IOException(dir.resolve(WEIGHTS) + " is truncated or corrupt", e);
        }
    }
}
