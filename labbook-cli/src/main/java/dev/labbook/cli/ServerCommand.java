package dev.labbook.cli;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook server}: runs the tracking server until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the tracking server (MLflow REST API). Defaults to an embedded store in ./labbook-data/.")
final class ServerCommand implements Callable<Integer> {
    /** Exit code meaning "the server is running; do not exit the JVM". */
    static final int KEEP_RUNNING = -1;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--backend-store-uri", description = "Where runs are stored, e.g. sqlite:///ABS/PATH.db or postgresql://USER:PASSWORD@HOST:PORT/DB"
            + " (default: ./labbook-data/labbook.db).")
    String backendStoreUri;

    @Option(names = "--artifacts-destination", description = "Folder for artifacts (default: ./labbook-data/artifacts).")
    Path artifactsDestination;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--port must be between 0 and 65535, got " + port);
        }
        ServerConfig defaults = ServerConfig.embedded(host, port, Path.of("labbook-data"));
        ServerConfig config = new ServerConfig(host, port,
                backendStoreUri != null ? backendStoreUri : defaults.backendStoreUri(),
                artifactsDestination != null ? artifactsDestination.toAbsolutePath() : defaults.artifactsDestination());
        LabbookServer server = LabbookServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "labbook-shutdown"));
        System.out.printf("Labbook tracking server listening on http://%s:%d%n  store:     %s%n  artifacts: %s%n",
                host, server.port(), dev.labbook.store.jdbc.Database.redact(config.backendStoreUri()), config.artifactsDestination());
        System.out.flush();
        return KEEP_RUNNING;
    }
}
