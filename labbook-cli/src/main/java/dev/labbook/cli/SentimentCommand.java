package dev.labbook.cli;

import dev.labbook.core.registry.ModelVersion;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.pipeline.SentimentTraining;
import dev.labbook.train.pipeline.TrainResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code labbook train sentiment}: trains a sentiment classifier on IMDb (or a CSV/TSV/JSONL file)
 * and tracks it as a run. Options left out take the model's defaults.
 */
@Command(name = "sentiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a sentiment classifier on IMDb reviews (or a CSV/TSV/JSONL file), tracked as a run.",
            "Without --data or LABBOOK_DATA_DIR the IMDb archive is downloaded once into ~/.cache/labbook/datasets.",
            "With --tracking-uri http(s)://HOST:PORT the run is logged to that tracking server; the command fails (exit 1) "
                + "if the server did not get everything, which the spool keeps for `labbook sync`."})
final class SentimentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "nblr (NB-weighted logistic regression) or fasttext (neural, DJL).")
    String model;

    @Option(names = "--data", description = "IMDb archive (.tar.gz), extracted aclImdb/ directory, or a .csv/.tsv/.jsonl file.")
    Path data;

    @Option(names = "--text-column", description = "Text column of CSV/TSV/JSONL data (default: text).")
    String textColumn;

    @Option(names = "--label-column", description = "Label column of CSV/TSV/JSONL data (default: label).")
    String labelColumn;

    @Option(names = "--experiment", defaultValue = "imdb-sentiment", description = "Experiment name (default: ${DEFAULT-VALUE}).")
    String experiment;

    @Option(names = "--run-name", description = "Run name (default: a generated one).")
    String runName;

    @Mixin
    TrackingOptions tracking = new TrackingOptions();

    @Option(names = "--register-model", paramLabel = "NAME",
            description = "Register the trained model as a new version of NAME (created if missing), its scores as version tags.")
    String registerModel;

    @Option(names = "--seed", description = "Seed of the validation split and the training (default: 42).")
    Long seed;

    @Option(names = "--val-fraction", description = "Share of train held out for validation (default: 0.1).")
    Double valFraction;

    @Option(names = "--test-fraction", description = "Share of a CSV/TSV/JSONL file held out for test (default: 0.2).")
    Double testFraction;

    @Option(names = "--limit", description = "Use at most this many IMDb reviews per part and class (default: all).")
    Integer limit;

    @Option(names = "--ngrams", description = "N-gram range, e.g. 1..3 (default: nblr 1..3, fasttext 1..2).")
    String ngrams;

    @Option(names = "--min-count", description = "Texts an n-gram must occur in (default: nblr 2, fasttext 5).")
    Integer minCount;

    @Option(names = "--max-vocab", description = "Vocabulary size limit, 0 for none (default: nblr 0, fasttext 200000).")
    Integer maxVocab;

    @Option(names = "--c", description = "nblr: inverse regularization strength (default: 1.0).")
    Double c;

    @Option(names = "--optimizer", description = "fasttext: adam or sgd (default: adam).")
    String optimizer;

    @Option(names = "--lr", description = "fasttext: learning rate (default: 0.005).")
    Double lr;

    @Option(names = "--epochs", description = "fasttext: epochs at most (default: 3).")
    Integer epochs;

    @Option(names = "--batch-size", description = "fasttext: batch size (default: 256).")
    Integer batchSize;

    @Option(names = "--embedding-size", description = "fasttext: embedding size (default: 32).")
    Integer embeddingSize;

    @Option(names = "--dropout", description = "fasttext: dropout on the pooled embedding (default: 0.2).")
    Double dropout;

    @Option(names = "--weight-decay", description = "fasttext: L2 weight decay (default: 0).")
    Double weightDecay;

    @Option(names = "--patience", description = "fasttext: epochs without a better validation loss before stopping (default: 1).")
    Integer patience;

    @Override
    public Integer call() {
        TrainConfig config = config();
        try (CliTracking t = tracking.open()) {
            TrainResult result = SentimentTraining.withDefaults(t, System.out)
                    .run(config, experiment, runName, Map.of());
            Reports.printResult(System.out, result);
            t.requireDelivered();
            if (registerModel != null) {
                ModelVersion v = t.registerModel(result.runId(), registerModel);
                System.out.printf("registered as models:/%s/%s (source %s)%n", v.name(), v.version(), v.source());
            }
        }
        return 0;
    }

    /** The tracking URI: the option, else {@code LABBOOK_TRACKING_URI}, else ./labbook-data. */
    static String trackingUri(String option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("LABBOOK_TRACKING_URI");
        return env != null && !env.isBlank() ? env : "labbook-data";
    }

    /** The model's defaults overridden by the options given, checked. */
    TrainConfig config() {
        Map<String, String> p = new HashMap<>(TrainConfig.defaults(model).asParams());
        put(p, "data", data == null ? null : data.toAbsolutePath().normalize());
        put(p, "text_column", textColumn);
        put(p, "label_column", labelColumn);
        put(p, "seed", seed);
        put(p, "val_fraction", valFraction);
        put(p, "test_fraction", testFraction);
        put(p, "limit_per_class", limit);
        put(p, "ngrams", ngrams);
        put(p, "min_count", minCount);
        put(p, "max_vocab", maxVocab);
        put(p, "c", c);
        put(p, "optimizer", optimizer);
        put(p, "lr", lr);
        put(p, "epochs", epochs);
        put(p, "batch_size", batchSize);
        put(p, "embedding_size", embeddingSize);
        put(p, "dropout", dropout);
        put(p, "weight_decay", weightDecay);
        put(p, "patience", patience);
        return TrainConfig.fromParams(p);
    }

    private static void put(Map<String, String> p, String key, Object value) {
        if (value != null) {
            p.put(key, value.toString());
        }
    }
}
