package dev.labbook.cli;

import dev.labbook.serving.ModelCache;
import dev.labbook.serving.ModelResolver;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook models}: the model registry, serving, batch scoring and packaging (labbook-serving does the work). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Register, serve, score with and package models (MLflow's model URIs and scoring protocol).",
        subcommands = {ModelsServeCommand.class, ModelsPredictCommand.class, ModelsPackageCommand.class,
            ModelsRegistryCommands.ListModels.class, ModelsRegistryCommands.Versions.class, ModelsRegistryCommands.Register.class,
            ModelsRegistryCommands.Alias.class, ModelsRegistryCommands.Describe.class})
final class ModelsCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Where models come from: the tracking server and the local cache of downloaded versions. */
    static final class Source {
        @Option(names = "--tracking-uri", description = "The tracking server that resolves models:/ and runs:/ URIs, "
                + "http(s)://HOST:PORT (default: $MLFLOW_TRACKING_URI).")
        String trackingUri;

        @Option(names = "--cache-dir", description = "Where downloaded model versions are kept "
                + "(default: $LABBOOK_MODEL_CACHE or ~/.cache/labbook/models).")
        Path cacheDir;

        ModelResolver resolver() {
            ModelCache cache = cacheDir != null ? new ModelCache(cacheDir) : ModelCache.fromEnvironment();
            return new ModelResolver(ModelResolver.trackingUri(trackingUri), cache);
        }

        /** A client of the tracking server, or a one-line error saying how to name one. */
        dev.labbook.client.TrackingClient client() {
            return dev.labbook.client.TrackingClient.of(ModelResolver.requireServer(ModelResolver.trackingUri(trackingUri)));
        }
    }
}
