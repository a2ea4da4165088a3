package dev.labbook.cli;

import dev.labbook.serving.ModelService;
import dev.labbook.serving.ModelUri;
import dev.labbook.serving.ServingOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code labbook models serve}: MLflow's scoring server for one model, following an alias when given one. */
@Command(name = "serve", description = "Serve a model over HTTP with MLflow's scoring protocol (POST /invocations).")
final class ModelsServeCommand implements Callable<Integer> {
    /** The running service, for tests and the shutdown hook. */
    static volatile ModelService running;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-m", "--model-uri"}, required = true, description = "models:/NAME/VERSION, models:/NAME@ALIAS, "
            + "runs:/RUN_ID/model, or a model directory.")
    String modelUri;

    @Option(names = {"-p", "--port"}, defaultValue = "5000", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-h", "--host"}, defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-w", "--workers"}, description = "Scoring threads (default: one per core).")
    Integer workers;

    @Option(names = {"-t", "--timeout"}, defaultValue = "60", paramLabel = "SECONDS",
            description = "A request scored longer than this is answered 504 (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--poll-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "With models:/NAME@ALIAS: how often the alias is checked for a new version (default: ${DEFAULT-VALUE}).")
    double pollInterval;

    @Mixin
    ModelsCommand.Source source;

    @Override
    public Integer call() {
        ServingOptions o = ServingOptions.defaults(host, port)
                .withTimeout(seconds(timeout, "-t/--timeout"))
                .withPollInterval(seconds(pollInterval, "--poll-interval"));
        if (workers != null) {
            o = o.withWorkers(workers);
        }
        ModelService service = ModelService.start(ModelUri.parse(modelUri), source.resolver(), o, System.out);
        running = service;
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "labbook-models-shutdown"));
        System.out.printf("try: curl -s http://%s:%d/invocations -H 'Content-Type: application/json' "
                + "-d '{\"inputs\": [\"A wonderful film, I loved every minute.\"]}'%n", host, service.port());
        System.out.flush();
        return ServerCommand.KEEP_RUNNING;
    }

    static Duration seconds(double s, String option) {
        if (!(s > 0)) {
            throw dev.labbook.core.LabbookException.invalid("%s must be a positive number of seconds, got %s", option, s);
        }
        return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
    }
}
