package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.store.testing.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labbook db upgrade URI} on a real embedded PostgreSQL server and on SQLite files. */
class DbUpgradeCommandTest {
    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyPostgresqlDatabaseAndSaysItsVersion() throws Exception {
        String uri = TestDatabases.emptyPostgresqlUri();
        assertEquals(0, tables(uri));

        CliRun first = CliRun.of("db", "upgrade", uri);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Schema version " + latest("postgresql") + " (postgresql)"), first.out());
        assertFalse(first.out().contains(TestDatabases.PASSWORD), first.out());
        assertTrue(tables(uri) >= 20, "tables after the upgrade: " + tables(uri));

        CliRun again = CliRun.of("db", "upgrade", uri.replace("postgresql://", "postgresql+psycopg2://"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("Schema version " + latest("postgresql") + " (postgresql)"), again.out());
    }

    @Test
    void migratesASqliteFile() throws Exception {
        Path file = dir.resolve("sub/labbook.db");
        CliRun run = CliRun.of("db", "upgrade", "sqlite://" + file.toAbsolutePath());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Schema version " + latest("sqlite") + " (sqlite)"), run.out());
        assertTrue(Files.exists(file));
    }

    @Test
    void anUnsupportedUriIsOneActionableLine() {
        CliRun run = CliRun.of("db", "upgrade", "mysql://root:topsecret@db/mlflow");
        assertNotEquals(0, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("Unsupported backend store URI"), run.err());
        assertTrue(run.err().contains("postgresql://USER:PASSWORD@HOST:5432/DB"), run.err());
        assertFalse(run.err().contains("topsecret"), run.err());
    }

    @Test
    void anUnreachableDatabaseIsOneLineWithoutThePassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun run = CliRun.of("db", "upgrade", "postgresql://ops:hunter2-secret@127.0.0.1:" + closed + "/labbook");
        assertNotEquals(0, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("Cannot connect to the PostgreSQL database ops@127.0.0.1:" + closed + "/labbook"), run.err());
        assertFalse(run.err().contains("hunter2-secret"), run.err());
    }

    @Test
    void aWrongPasswordIsOneLineWithoutIt() {
        String uri = TestDatabases.emptyPostgresqlUri().replace(TestDatabases.PASSWORD, "wrong-pass-77");
        CliRun run = CliRun.of("db", "upgrade", uri);
        assertNotEquals(0, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("password authentication failed"), run.err());
        assertFalse(run.err().contains("wrong-pass-77"), run.err());
    }

    private static int tables(String uri) throws Exception {
        String rest = uri.substring("postgresql://".length());
        Properties p = new Properties();
        p.setProperty("user", TestDatabases.USER);
        p.setProperty("password", TestDatabases.PASSWORD);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + rest.substring(rest.indexOf('@') + 1), p);
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The highest migration version shipped for a database: what an upgrade ends at. */
    private static int latest(String folder) throws Exception {
        java.net.URL dir = dev.labbook.store.jdbc.Database.class.getResource("/db/migration/" + folder);
        java.util.List<String> names = new java.util.ArrayList<>();
        if (dir.getProtocol().equals("jar")) {
            try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(dir.toURI(), java.util.Map.of());
                    java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(fs.getPath("/db/migration/" + folder))) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        } else {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(dir.toURI()))) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        }
        return names.stream().filter(n -> n.matches("V\\d+__.*\\.sql"))
                .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
    }
}
