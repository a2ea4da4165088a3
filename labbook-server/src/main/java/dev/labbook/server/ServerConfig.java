package dev.labbook.server;

import dev.labbook.server.auth.AuthConfig;
import java.nio.file.Path;

/**
 * How to run the server.
 *
 * @param port 0 picks a free port
 * @param backendStoreUri e.g. {@code sqlite:///abs/path/labbook.db}
 * @param artifactsDestination where the artifact proxy stores files: a folder path,
 *     {@code file:///ABS/PATH} or {@code s3://BUCKET/PREFIX} (see
 *     {@link dev.labbook.store.artifact.ArtifactStores#open(String)})
 * @param auth access control ({@link AuthConfig#OFF} unless {@code --auth})
 */
public record ServerConfig(String host, int port, String backendStoreUri, String artifactsDestination, AuthConfig auth) {

    /** Without access control. */
    public ServerConfig(String host, int port, String backendStoreUri, String artifactsDestination) {
        this(host, port, backendStoreUri, artifactsDestination, AuthConfig.OFF);
    }

    /** Artifacts in a local folder, without access control. */
    public ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {
        this(host, port, backendStoreUri, artifactsDestination.toString());
    }

    /** The same server with these access-control settings. */
    public ServerConfig withAuth(AuthConfig auth) {
        return new ServerConfig(host, port, backendStoreUri, artifactsDestination, auth);
    }

    /** The embedded default: everything under {@code dataDir}. */
    public static ServerConfig embedded(String host, int port, Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        return new ServerConfig(host, port, "sqlite:///" + abs.resolve("labbook.db").toString().replaceFirst("^/", ""),
                abs.resolve("artifacts"));
    }
}
