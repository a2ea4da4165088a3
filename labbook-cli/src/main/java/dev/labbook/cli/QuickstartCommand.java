package dev.labbook.cli;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.pipeline.SentimentTraining;
import dev.labbook.train.pipeline.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code labbook quickstart}: trains a few configurations of both sentiment models on IMDb into
 * the embedded store, compares them, then serves the store and prints the dashboard address.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train a few NB-LR and fastText configurations on IMDb into the embedded store, then start the server.",
            "Offline: pass --data with the IMDb archive or aclImdb/ directory (or set LABBOOK_DATA_DIR)."})
final class QuickstartCommand implements Callable<Integer> {
    /** The configurations trained, as param overrides of each model's defaults. */
    static final List<Map<String, String>> CONFIGS = List.of(
            Map.of("model", "nblr", "c", "1.0", "ngrams", "1..3"),
            Map.of("model", "nblr", "c", "0.1", "ngrams", "1..2"),
            Map.of("model", "fasttext", "lr", "0.005", "embedding_size", "32", "dropout", "0.2"),
            Map.of("model", "fasttext", "lr", "0.01", "embedding_size", "64", "dropout", "0.0"));

    @Option(names = "--data", description = "IMDb archive (.tar.gz) or extracted aclImdb/ directory (default: $LABBOOK_DATA_DIR or a download).")
    Path data;

    @Option(names = "--tracking-uri", description = "Data folder of the embedded store (default: ./labbook-data).")
    String trackingUri;

    @Option(names = "--limit", defaultValue = "0", description = "Use at most this many reviews per part and class, for a faster tour (default: all).")
    int limit;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the server listens on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port of the server (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-server", description = "Only train; do not start the server.")
    boolean noServer;

    @Override
    public Integer call() {
        List<TrainConfig> configs = new ArrayList<>();
        for (Map<String, String> overrides : CONFIGS) {
            Map<String, String> p = new HashMap<>(TrainConfig.defaults(overrides.get("model")).asParams());
            p.putAll(overrides);
            p.put("limit_per_class", Integer.toString(limit));
            if (data != null) {
                p.put("data", data.toAbsolutePath().normalize().toString());
            }
            configs.add(TrainConfig.fromParams(p));
        }
        String backend;
        Path artifacts;
        List<TrainResult> results = new ArrayList<>();
        try (StoreTracking tracking = StoreTracking.open(SentimentCommand.trackingUri(trackingUri))) {
            SentimentTraining training = SentimentTraining.withDefaults(tracking, System.out);
            // read the data once; every configuration trains on the same reviews
            LabeledData loaded = training.load(configs.get(0));
            Path source = Path.of(loaded.info().source());
            for (int i = 0; i < configs.size(); i++) {
                System.out.printf("%n== quickstart %d/%d: %s%n", i + 1, configs.size(), CONFIGS.get(i));
                TrainResult r = training.train(configs.get(i).withData(source), loaded, "imdb-sentiment", null,
                        Map.of("labbook.quickstart", "true"));
                Reports.printResult(System.out, r);
                results.add(r);
            }
            backend = tracking.backendStoreUri();
            artifacts = tracking.artifactRoot();
        }
        System.out.printf("%n%-34s %-9s %-38s %9s %9s%n", "run", "model", "settings", "test acc", "seconds");
        for (int i = 0; i < results.size(); i++) {
            TrainResult r = results.get(i);
            Map<String, String> settings = new HashMap<>(CONFIGS.get(i));
            String model = settings.remove("model");
            System.out.printf(Locale.ROOT, "%-34s %-9s %-38s %9.4f %9.1f%n", r.runId(), model, settings,
                    r.test().accuracy(), r.featureSeconds() + r.trainSeconds());
        }
        if (noServer) {
            return 0;
        }
        LabbookServer server = LabbookServer.start(new ServerConfig(host, port, backend, artifacts));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "labbook-shutdown"));
        System.out.printf("%nLabbook is serving these runs: dashboard at http://%s:%d/  (MLflow API: MLFLOW_TRACKING_URI=http://%s:%d)%n",
                host, server.port(), host, server.port());
        System.out.flush();
        return ServerCommand.KEEP_RUNNING;
    }
}
