package dev.labbook.cli;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.ops.Sigterm;
import dev.labbook.store.artifact.ArtifactStores;
import dev.labbook.store.artifact.s3.S3Location;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook server}: runs the tracking server until interrupted or sent SIGTERM. */
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

    @Option(names = "--artifacts-destination", description = "Where artifacts go: a folder or s3://BUCKET/PREFIX "
            + "(S3 settings from MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_REGION; "
            + "default: ./labbook-data/artifacts).")
    String artifactsDestination;

    @Option(names = "--auth", description = "Turn access control on: users, tokens and permissions (off by default).")
    boolean auth;

    @Option(names = "--app-name", description = "MLflow's switch: basic-auth is the same as --auth.")
    String appName;

    @Option(names = "--auth-config", description = "Access-control settings (MLflow's basic_auth.ini keys; default: $MLFLOW_AUTH_CONFIG_PATH).")
    Path authConfig;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--port must be between 0 and 65535, got " + port);
        }
        ServerConfig defaults = ServerConfig.embedded(host, port, Path.of("labbook-data"));
        ServerConfig config = new ServerConfig(host, port,
                backendStoreUri != null ? backendStoreUri : defaults.backendStoreUri(),
                artifactsDestination == null ? defaults.artifactsDestination()
                        : S3Location.isS3(artifactsDestination) ? artifactsDestination
                        : ArtifactStores.localPath(artifactsDestination).toString());
        if (appName != null && !appName.equals("basic-auth")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--app-name must be basic-auth (the only app Labbook has), got " + appName);
        }
        if (auth || appName != null) {
            Path ini = authConfig;
            String fromEnv = System.getenv("MLFLOW_AUTH_CONFIG_PATH");
            if (ini == null && fromEnv != null && !fromEnv.isBlank()) {
                ini = Path.of(fromEnv);
            }
            config = config.withAuth(dev.labbook.server.auth.AuthConfig.load(ini, System.getenv()));
        }
        LabbookServer server = LabbookServer.start(config);
        String admin = config.auth().adminUsername();
        server.auth().generatedAdminPassword().ifPresent(password -> System.out.printf(
                "Access control is on. Created the admin user '%s' with the generated password%n  %s%n"
                        + "  (shown only this once: sign in and change it, or set LABBOOK_ADMIN_PASSWORD before the first start)%n",
                admin, password));
        // SIGTERM: refuse new connections, finish the requests in flight, close the stores, exit 0
        Sigterm.stopGracefully(server);
        System.out.printf("Labbook tracking server listening on http://%s:%d%n  store:     %s%n  artifacts: %s%n",
                host, server.port(), dev.labbook.store.jdbc.Database.redact(config.backendStoreUri()), config.artifactsDestination());
        System.out.flush();
        return KEEP_RUNNING;
    }
}
