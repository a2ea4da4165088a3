package dev.labbook.server;

import dev.labbook.store.testing.TestDatabases;
import java.nio.file.Path;

/**
 * Server configurations for tests: {@link ServerConfig#embedded}, on the database the suite runs
 * on (SQLite files by default, PostgreSQL with {@code -Dlabbook.test.db=postgresql}, see
 * {@link TestDatabases}).
 */
public final class TestConfigs {
    private TestConfigs() {}

    /** Like {@link ServerConfig#embedded}, with the backend store of the suite's database. */
    public static ServerConfig embedded(String host, int port, Path dataDir) {
        ServerConfig c = ServerConfig.embedded(host, port, dataDir);
        return new ServerConfig(c.host(), c.port(), TestDatabases.uriFor(c.backendStoreUri()), c.artifactsDestination());
    }
}
