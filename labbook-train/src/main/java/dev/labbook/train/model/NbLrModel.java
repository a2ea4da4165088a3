package dev.labbook.train.model;

import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
    private static final String VOCABULARY = "vocabulary.txt";
    private static final String WEIGHTS = "weights.bin";

    private final NgramVocabulary vocabulary;
    private final double[] weights;
    private final double bias;

    /** A model over {@code vocabulary} with one folded weight per feature. */
    public NbLrModel(NgramVocabulary vocabulary, double[] weights, double bias) {
        if (weights.length != vocabulary.size()) {
            throw new IllegalArgumentException("weights " + weights.length + " != vocabulary " + vocabulary.size());
        }
        this.vocabulary = vocabulary;
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public double score(String text) {
        return scoreEncoded(vocabulary.encode(text));
    }

    /** The score of an already encoded text. */
    public double scoreEncoded(int[] features) {
        double z = bias;
        for (int f : features) {
            z += weights[f];
        }
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
        new ModelDescriptor(FLAVOR, List.of(VOCABULARY, WEIGHTS), settings).write(dir);
    }

    /** Loads a model saved by {@link #save}. */
    static NbLrModel load(Path dir, ModelDescriptor d) throws IOException {
        NgramConfig c = new NgramConfig(d.intSetting("min_n"), d.intSetting("max_n"), d.intSetting("min_count"), d.intSetting("max_vocab"));
        NgramVocabulary vocabulary = NgramVocabulary.load(dir.resolve(VOCABULARY), c);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(WEIGHTS)), 1 << 16))) {
            double[] weights = new double[in.readInt()];
            double bias = in.readDouble();
            for (int i = 0; i < weights.length; i++) {
                weights[i] = in.readDouble();
            }
            return new NbLrModel(vocabulary, weights, bias);
        }
    }
}
