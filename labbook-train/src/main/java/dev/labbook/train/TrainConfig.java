package dev.labbook.train;

import dev.labbook.core.LabbookException;
import dev.labbook.train.features.NgramConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything that decides a sentiment training run. It is logged as the run's params and can be
 * rebuilt from them ({@link #fromParams}), which is how a run is reproduced. The constructor
 * checks every value, so a bad hyperparameter fails before any run is created.
 *
 * @param model {@code nblr} or {@code fasttext}
 * @param data a local file or directory, or null for {@code LABBOOK_DATA_DIR} or the download
 * @param limitPerClass 0 for all data; else at most this many IMDb reviews per part and class
 * @param valFraction share of train carved out (seeded) for validation, in [0, 0.5]
 * @param testFraction share of a CSV/TSV/JSONL file held out for test, in (0, 0.5]
 * @param ngrams n-gram range "1..3"
 * @param minCount documents an n-gram must occur in
 * @param maxVocab vocabulary size limit, 0 for none
 * @param c nblr: inverse regularization strength
 * @param optimizer fasttext: {@code adam} or {@code sgd}
 * @param maxTokens fasttext: distinct n-grams kept per text
 * @param patience fasttext: epochs without a better validation loss before stopping
 */
public record TrainConfig(
        String model, Path data, String textColumn, String labelColumn, int limitPerClass,
        double valFraction, double testFraction, long seed,
        String ngrams, int minCount, int maxVocab,
        double c,
        String optimizer, double lr, int epochs, int batchSize, int embeddingSize, double dropout,
        double weightDecay, int patience, int maxTokens) {

    /** The model names this version knows. */
    public static final String NBLR = "nblr";
    /** The neural model on DJL. */
    public static final String FASTTEXT = "fasttext";

    public TrainConfig {
        model = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (!model.equals(NBLR) && !model.equals(FASTTEXT)) {
            throw LabbookException.invalid("unknown model '%s': choose nblr or fasttext", model);
        }
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        range("--val-fraction", valFraction, 0, 0.5);
        range("--test-fraction", testFraction, 1e-9, 0.5);
        if (limitPerClass < 0) {
            throw LabbookException.invalid("--limit must be 0 (all) or positive, got %d", limitPerClass);
        }
        ngramConfig(ngrams, minCount, maxVocab);
        if (model.equals(NBLR)) {
            range("--c", c, 1e-9, 1e6);
        } else {
            if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
                throw LabbookException.invalid("unknown optimizer '%s': choose adam or sgd", optimizer);
            }
            range("--lr", lr, 1e-9, 10);
            intRange("--epochs", epochs, 1, 1000);
            intRange("--batch-size", batchSize, 1, 65536);
            intRange("--embedding-size", embeddingSize, 1, 4096);
            range("--dropout", dropout, 0, 0.95);
            range("--weight-decay", weightDecay, 0, 1);
            intRange("--patience", patience, 1, 1000);
            intRange("--max-tokens", maxTokens, 1, 100_000);
        }
    }

    /**
     * Defaults for {@code model}: the settings behind the README's figures. For fasttext, 32
     * dimensions with dropout 0.2 and Adam at 0.005 beat 64 dimensions at 0.01 on IMDb (90.6% vs
     * 90.2%) in a third of the time, and still improve at the third epoch.
     */
    public static TrainConfig defaults(String model) {
        boolean nn = FASTTEXT.equalsIgnoreCase(model);
        return new TrainConfig(model, null, "text", "label", 0, 0.1, 0.2, 42,
                nn ? "1..2" : "1..3", nn ? 5 : 2, nn ? 200_000 : 0,
                1.0, "adam", 0.005, 3, 256, 32, nn ? 0.2 : 0.0, 0.0, 1, 512);
    }

    /** The n-gram settings, checked. */
    public NgramConfig ngramConfig() {
        return ngramConfig(ngrams, minCount, maxVocab);
    }

    private static NgramConfig ngramConfig(String ngrams, int minCount, int maxVocab) {
        int[] r = NgramConfig.parseRange(ngrams);
        return new NgramConfig(r[0], r[1], minCount, maxVocab);
    }

    /** The params logged for this config: the shared ones and those of its model. */
    public Map<String, String> asParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", model);
        p.put("seed", Long.toString(seed));
        p.put("val_fraction", Double.toString(valFraction));
        p.put("limit_per_class", Integer.toString(limitPerClass));
        if (data != null) {
            p.put("data", data.toAbsolutePath().normalize().toString());
        }
        p.put("text_column", textColumn);
        p.put("label_column", labelColumn);
        p.put("test_fraction", Double.toString(testFraction));
        p.put("ngrams", ngramConfig().range());
        p.put("min_count", Integer.toString(minCount));
        p.put("max_vocab", Integer.toString(maxVocab));
        if (model.equals(NBLR)) {
            p.put("c", Double.toString(c));
        } else {
            p.put("optimizer", optimizer);
            p.put("lr", Double.toString(lr));
            p.put("epochs", Integer.toString(epochs));
            p.put("batch_size", Integer.toString(batchSize));
            p.put("embedding_size", Integer.toString(embeddingSize));
            p.put("dropout", Double.toString(dropout));
            p.put("weight_decay", Double.toString(weightDecay));
            p.put("patience", Integer.toString(patience));
            p.put("max_tokens", Integer.toString(maxTokens));
        }
        return p;
    }

    /** Rebuilds a config from a run's params; missing ones take the model's defaults. */
    public static TrainConfig fromParams(Map<String, String> p) {
        String model = p.get("model");
        if (model == null) {
            throw LabbookException.invalid("the run has no 'model' param: it was not made by labbook train");
        }
        TrainConfig d = defaults(model);
        Function<String, String> get = p::get;
        try {
            return new TrainConfig(model, p.containsKey("data") ? Path.of(p.get("data")) : null,
                    or(get, "text_column", d.textColumn), or(get, "label_column", d.labelColumn),
                    Integer.parseInt(or(get, "limit_per_class", "0")),
                    Double.parseDouble(or(get, "val_fraction", "" + d.valFraction)),
                    Double.parseDouble(or(get, "test_fraction", "" + d.testFraction)),
                    Long.parseLong(or(get, "seed", "" + d.seed)),
                    or(get, "ngrams", d.ngrams), Integer.parseInt(or(get, "min_count", "" + d.minCount)),
                    Integer.parseInt(or(get, "max_vocab", "" + d.maxVocab)),
                    Double.parseDouble(or(get, "c", "" + d.c)), or(get, "optimizer", d.optimizer),
                    Double.parseDouble(or(get, "lr", "" + d.lr)), Integer.parseInt(or(get, "epochs", "" + d.epochs)),
                    Integer.parseInt(or(get, "batch_size", "" + d.batchSize)),
                    Integer.parseInt(or(get, "embedding_size", "" + d.embeddingSize)),
                    Double.parseDouble(or(get, "dropout", "" + d.dropout)),
                    Double.parseDouble(or(get, "weight_decay", "" + d.weightDecay)),
                    Integer.parseInt(or(get, "patience", "" + d.patience)),
                    Integer.parseInt(or(get, "max_tokens", "" + d.maxTokens)));
        } catch (NumberFormatException e) {
            throw LabbookException.invalid("the run's params cannot be read back: %s", e.getMessage());
        }
    }

    private static String or(Function<String, String> get, String key, String fallback) {
        String v = get.apply(key);
        return v == null ? fallback : v;
    }

    private static void range(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw LabbookException.invalid("%s must be between %s and %s, got %s", name, lo, hi, v);
        }
    }

    private static void intRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw LabbookException.invalid("%s must be between %d and %d, got %d", name, lo, hi, v);
        }
    }

    /** A copy with another data path. */
    public TrainConfig withData(Path path) {
        return new TrainConfig(model, path, textColumn, labelColumn, limitPerClass, valFraction, testFraction, seed,
                ngrams, minCount, maxVocab, c, optimizer, lr, epochs, batchSize, embeddingSize, dropout, weightDecay,
                patience, maxTokens);
    }
}
