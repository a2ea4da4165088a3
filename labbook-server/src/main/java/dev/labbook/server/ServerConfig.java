package dev.labbook.server;

import java.nio.file.Path;

/**
 * How to run the server.
 *
 * @param port 0 picks a free port
 * @param backendStoreUri e.g. {@code sqlite:///abs/path/labbook.db}
 * @param artifactsDestination the folder the artifact proxy stores files under
 */
public record ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {

    /** The embedded default: everything under {@code dataDir}. */
    public static ServerConfig embedded(String host, int port, Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        return new ServerConfig(host, port, "sqlite:///" + abs.resolve("labbook.db").toString().replaceFirst("^/", ""),
                abs.resolve("artifacts"));
    }
}
