package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import dev.labbook.server.LabbookServer;
import dev.labbook.serving.ModelCache;
import dev.labbook.serving.ModelResolver;
import dev.labbook.serving.ModelService;
import dev.labbook.serving.ModelUri;
import dev.labbook.serving.ServingMonitor;
import dev.labbook.serving.ServingOptions;
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
 * the embedded store, registers each as a version of {@code imdb-sentiment} with the alias
 * {@code champion} on the best by test accuracy, then serves the store (the dashboard) and the
 * champion (MLflow's scoring protocol) and prints both addresses and a ready {@code curl} line.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train a few NB-LR and fastText configurations on IMDb into the embedded store, register them as versions of",
            "imdb-sentiment (alias champion on the best), then serve the dashboard and the champion model.",
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

    @Option(names = "--serve-port", description = "Port of the scoring server of the champion model (default: --port + 1).")
    Integer servePort;

    /** The registered model quickstart's models are versions of, and the alias of the best. */
    static final String MODEL_NAME = "imdb-sentiment";
    static final String CHAMPION = "champion";

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
        List<String> versions = new ArrayList<>();
        int best = -1;
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
                versions.add(tracking.registerModel(r.runId(), MODEL_NAME).version());
                if (best < 0 || r.test().accuracy() > results.get(best).test().accuracy()) {
                    best = i;
                }
            }
            tracking.setAlias(MODEL_NAME, CHAMPION, versions.get(best));
            backend = tracking.backendStoreUri();
            artifacts = tracking.artifactRoot();
        }
        System.out.printf("%n%-34s %-9s %-38s %9s %9s %s%n", "run", "model", "settings", "test acc", "seconds", "registered");
        for (int i = 0; i < results.size(); i++) {
            TrainResult r = results.get(i);
            Map<String, String> settings = new HashMap<>(CONFIGS.get(i));
            String model = settings.remove("model");
            System.out.printf(Locale.ROOT, "%-34s %-9s %-38s %9.4f %9.1f %s%n", r.runId(), model, settings,
                    r.test().accuracy(), r.featureSeconds() + r.trainSeconds(),
                    "v" + versions.get(i) + (i == best ? " @" + CHAMPION : ""));
        }
        System.out.printf("%nmodels:/%s@%s is version %s (best test accuracy %.4f)%n", MODEL_NAME, CHAMPION, versions.get(best),
                results.get(best).test().accuracy());
        if (noServer) {
            return 0;
        }
        LabbookServer server = LabbookServer.start(new ServerConfig(host, port, backend, artifacts));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "labbook-shutdown"));
        System.out.printf("%nLabbook is serving these runs: dashboard at http://%s:%d/  (MLflow API: MLFLOW_TRACKING_URI=http://%s:%d)%n",
                host, server.port(), host, server.port());
        serveChampion("http://" + host + ":" + server.port());
        System.out.flush();
        return ServerCommand.KEEP_RUNNING;
    }

    /**
     * Serves the champion next to the dashboard with MLflow's scoring protocol, following the
     * alias: moving it in the dashboard switches the served version without downtime.
     */
    private void serveChampion(String trackingUri) {
        int p = servePort != null ? servePort : (port == 0 ? 0 : port + 1);
        ModelService service;
        try {
            service = ModelService.start(ModelUri.parse("models:/" + MODEL_NAME + "@" + CHAMPION),
                    new ModelResolver(trackingUri, ModelCache.fromEnvironment()), ServingOptions.defaults(host, p), System.out,
                    // the champion's requests, errors and latency become a run of serving/imdb-sentiment
                    new ServingMonitor.Options(trackingUri, java.time.Duration.ofSeconds(10), null));
        } catch (RuntimeException e) {
            if (Errors.describe(e).startsWith("the address is already in use")) {
                throw LabbookException.invalid("port %d of the champion's scoring server is in use; pass another --serve-port "
                        + "or stop the other server (the dashboard is up at http://%s:%d/)", p, host, port);
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "labbook-models-shutdown"));
        System.out.printf("The champion model answers at http://%s:%d/invocations; try:%n  curl -s http://%s:%d/invocations "
                + "-H 'Content-Type: application/json' -d '{\"inputs\": [\"A wonderful film, I loved every minute.\"]}'%n",
                host, service.port(), host, service.port());
    }
}
