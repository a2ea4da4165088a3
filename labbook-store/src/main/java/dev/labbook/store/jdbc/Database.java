package dev.labbook.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A migrated, pooled database: the connection pool, Jdbi and the write discipline of its
 * {@link Dialect}. Shared by the tracking and registry stores that live in the same database.
 */
public final class Database implements AutoCloseable {
    /**
     * The write-ahead log size (pages) at which a committing writer checkpoints by itself: a
     * backstop behind the {@link Checkpointer}, which normally has copied all but the last
     * moments of the log by then. SQLite's default is 1000 pages (4 MB).
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 16_384;
    /** After a checkpoint resets the log, a larger WAL file is truncated to this size. */
    static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    /**
     * Queues this process's writers fairly on a single-writer database. It is only a courtesy
     * within one process: writers in other processes on the same SQLite file (other replicas,
     * {@code labbook runs} on the file) are kept out by SQLite's own lock, which every write
     * transaction takes at its start ({@code transaction_mode=IMMEDIATE}) and waits for up to
     * {@code busy_timeout}; WAL lets readers of every process go on meanwhile.
     */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Checkpointer checkpointer;

    private Database(HikariDataSource dataSource, Dialect dialect, Checkpointer checkpointer) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        this.jdbi.define(Dialect.ATTRIBUTE, dialect);
        this.checkpointer = checkpointer;
    }

    /**
     * Opens a database from an MLflow-style URI ({@code sqlite:///abs/path.db}) and applies the
     * migrations it lacks.
     */
    public static Database open(String uri) {
        if (uri.startsWith("sqlite:")) {
            return openSqlite(sqlitePath(uri));
        }
        if (PostgresUri.matches(uri)) {
            return openPostgresql(PostgresUri.parse(uri));
        }
        throw LabbookException.invalid(
                "Unsupported backend store URI '%s': use sqlite:///ABSOLUTE/PATH.db or postgresql://USER:PASSWORD@HOST:5432/DB",
                redact(uri));
    }

    /** Connections per PostgreSQL pool unless {@code labbook.db.pool-size} says otherwise. */
    static final int POSTGRESQL_POOL_SIZE = 10;

    /**
     * Opens a PostgreSQL database and applies the migrations it lacks. The password goes to the
     * driver as a property, never in the JDBC URL, so that neither logs nor errors show it.
     */
    public static Database openPostgresql(PostgresUri uri) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(uri.jdbcUrl());
        if (uri.user() != null) {
            cfg.setUsername(uri.user());
        }
        if (uri.password() != null) {
            cfg.setPassword(uri.password());
        }
        cfg.setPoolName("labbook-postgresql");
        // one statement per multi-row INSERT instead of one round trip per batched row
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        cfg.addDataSourceProperty("ApplicationName", "labbook");
        cfg.setMaximumPoolSize(Integer.getInteger("labbook.db.pool-size", POSTGRESQL_POOL_SIZE));
        cfg.setMinimumIdle(1);
        // One plain connection first: a database that cannot be reached is one clear error, not
        // the pool's logged stack trace.
        java.util.Properties probe = new java.util.Properties();
        if (uri.user() != null) {
            probe.setProperty("user", uri.user());
        }
        if (uri.password() != null) {
            probe.setProperty("password", uri.password());
        }
        try (Connection c = java.sql.DriverManager.getConnection(uri.jdbcUrl(), probe)) {
            c.isValid(10);
        } catch (SQLException e) {
            throw unreachable(uri, e);
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw unreachable(uri, e);
        }
        try {
            migrate(ds, Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, Dialect.POSTGRESQL, null);
    }

    private static LabbookException unreachable(PostgresUri uri, Exception e) {
        return new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot connect to the PostgreSQL database "
                + uri.where() + ": " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Opens (creating if needed) an SQLite database file. */
    public static Database openSqlite(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw LabbookException.invalid("Cannot create the folder of the database %s: %s", file, e.getMessage());
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        cfg.setPoolName("labbook-sqlite");
        // WAL lets readers work while one writer commits; NORMAL syncs at checkpoints only, which
        // is durable against process crashes (not power loss) and many times faster than FULL.
        cfg.addDataSourceProperty("journal_mode", "WAL");
        cfg.addDataSourceProperty("synchronous", "NORMAL");
        cfg.addDataSourceProperty("busy_timeout", "60000");
        cfg.addDataSourceProperty("foreign_keys", "true");
        cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        cfg.addDataSourceProperty("cache_size", "-32768");
        // Checkpoints happen in the background (see Checkpointer); the writer's own is a backstop.
        cfg.addDataSourceProperty("wal_autocheckpoint", Integer.toString(WAL_AUTOCHECKPOINT_PAGES));
        cfg.addDataSourceProperty("journal_size_limit", Long.toString(WAL_SIZE_LIMIT_BYTES));
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            migrate(ds, Dialect.SQLITE);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        Checkpointer checkpointer = new Checkpointer(file.toAbsolutePath());
        checkpointer.start();
        return new Database(ds, Dialect.SQLITE, checkpointer);
    }

    private static void migrate(HikariDataSource ds, Dialect dialect) {
        if (migrationsApplied(ds, dialect)) {
            return;
        }
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrationLocation())
                .loggers("slf4j")
                .load()
                .migrate();
    }

    // ------------------------------------------------------------------ migrations

    private static final Pattern VERSIONED_SQL = Pattern.compile("V[0-9][0-9._]*__.+\\.sql");

    /**
     * True when Flyway would find nothing to do: its history records, all successful, exactly the
     * versioned SQL migrations on the classpath, by script name and by Flyway's checksum. Then
     * start-up skips Flyway, whose initialisation costs a few hundred milliseconds on a cold JVM.
     * Anything unusual (a migration that is not {@code V*.sql}, such as a callback or a repeatable
     * one; a failed, baseline or undone row; a location that is not a jar or a folder; any error)
     * answers false, and Flyway runs and decides as it always did.
     */
    static boolean migrationsApplied(DataSource ds, Dialect dialect) {
        List<String> bundled = bundledMigrations(dialect);
        if (bundled == null || bundled.isEmpty()) {
            return false;
        }
        List<String> applied = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT script, checksum, success, type, version FROM flyway_schema_history")) {
                while (rs.next()) {
                    if (!rs.getBoolean(3) || !"SQL".equals(rs.getString(4)) || rs.getString(5) == null) {
                        return false;
                    }
                    applied.add(rs.getString(1) + ":" + rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            return false;
        }
        Collections.sort(applied);
        return applied.equals(bundled);
    }

    /** {@code script:checksum} of each migration file of the dialect, sorted; null when unsure. */
    private static List<String> bundledMigrations(Dialect dialect) {
        String folder = dialect.migrationLocation().substring("classpath:".length());
        List<String> out = new ArrayList<>();
        try {
            Enumeration<URL> roots = Database.class.getClassLoader().getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
                        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                            String name = f.getFileName().toString();
                            if (!VERSIONED_SQL.matcher(name).matches()) {
                                return null;
                            }
                            out.add(name + ":" + flywayChecksum(Files.readAllBytes(f)));
                        }
                    }
                } else if (root.getProtocol().equals("jar")) {
                    JarURLConnection conn = (JarURLConnection) root.openConnection();
                    conn.setUseCaches(false);
                    try (JarFile jar = conn.getJarFile()) {
                        Enumeration<JarEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            JarEntry e = entries.nextElement();
                            if (e.isDirectory() || !e.getName().startsWith(folder + "/")) {
                                continue;
                            }
                            String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                            if (!VERSIONED_SQL.matcher(name).matches()) {
                                return null;
                            }
                            out.add(name + ":" + flywayChecksum(jar.getInputStream(e).readAllBytes()));
                        }
                    }
                } else {
                    return null;
                }
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
        Collections.sort(out);
        return out;
    }

    /** Flyway's checksum of an SQL migration: a CRC32 of its lines, without line breaks or a BOM. */
    static int flywayChecksum(byte[] content) throws IOException {
        CRC32 crc = new CRC32();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(content), StandardCharsets.UTF_8), 4096)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }

    static Path sqlitePath(String uri) {
        // sqlite:///abs/path.db -> /abs/path.db ; sqlite://relative.db -> relative.db
        String rest = uri.substring("sqlite:".length());
        if (rest.startsWith("///")) {
            return Path.of(rest.substring(2));
        }
        if (rest.startsWith("//")) {
            return Path.of(rest.substring(2));
        }
        return Path.of(rest);
    }

    /** The URI with its credentials masked, for logs and error messages. */
    public static String redact(String uri) {
        return PostgresUri.redact(uri);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The highest migration version applied to this database (its schema version), e.g. "8". */
    public String schemaVersion() {
        return read(h -> h.createQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")
                .mapTo(String.class).list().stream()
                .max(java.util.Comparator.comparing(org.flywaydb.core.api.MigrationVersion::fromVersion))
                .orElse("0"));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs a read on a pooled connection. */
    public <T> T read(HandleCallback<T, RuntimeException> callback) {
        return jdbi.withHandle(callback);
    }

    /**
     * Runs a read in one transaction, so that all its statements see the same state of the
     * database: a write committed between two of them is not half seen. On SQLite this is a
     * deferred transaction, which reads a snapshot and takes no write lock (the pool's
     * {@code transaction_mode} is IMMEDIATE, which is for writers).
     */
    public <T> T snapshot(HandleCallback<T, RuntimeException> callback) {
        return jdbi.withHandle(h -> {
            h.execute(dialect.beginSnapshot());
            boolean done = false;
            try {
                T result = callback.withHandle(h);
                done = true;
                return result;
            } finally {
                // a read has nothing to keep: ROLLBACK ends it as well as COMMIT would, and is
                // what must happen when the callback failed
                h.execute(done ? "COMMIT" : "ROLLBACK");
            }
        });
    }

    /**
     * Runs a write transaction: committed when the callback returns, rolled back when it throws.
     * On a single-writer database, writers queue on a fair lock instead of meeting SQLITE_BUSY.
     * A transaction the database aborted to break a deadlock (PostgreSQL, writers of several
     * replicas) is run again, so the callback must do nothing outside the transaction.
     */
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        boolean lock = dialect.singleWriter();
        if (lock) {
            writeLock.lock();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return jdbi.inTransaction(TransactionIsolationLevel.UNKNOWN, callback::withHandle);
                } catch (RuntimeException e) {
                    // Writers side by side (PostgreSQL) can meet in a deadlock, which the database
                    // breaks by failing one of them; that one's work was rolled back whole, and is
                    // done again, as the database's documentation advises.
                    if (lock || attempt >= WRITE_ATTEMPTS || !retryable(e)) {
                        throw e;
                    }
                }
            }
        } finally {
            if (lock) {
                writeLock.unlock();
            }
        }
    }

    /**
     * Checks that the database answers, for {@code /health}: borrows a pooled connection and reads
     * one row of Flyway's history (a table every migrated database has), with a query timeout.
     * Waiting for a connection is bounded by the pool's own timeout, so a caller that must answer
     * sooner runs this on a thread of its own.
     *
     * @throws IllegalStateException carrying the driver's error when the database does not answer
     */
    public void checkReachable(int queryTimeoutSeconds) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM flyway_schema_history LIMIT 1")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The database does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Reports the connection pool's usage (connections active, idle, pending; acquisition and
     * usage times) to {@code factory}, e.g. Hikari's Micrometer tracker. Once per database.
     */
    public void trackPoolMetrics(com.zaxxer.hikari.metrics.MetricsTrackerFactory factory) {
        dataSource.setMetricsTrackerFactory(factory);
    }

    /** How many times a write meeting a deadlock or a serialization failure is tried in all. */
    static final int WRITE_ATTEMPTS = 5;

    /** True for PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001). */
    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException se && ("40P01".equals(se.getSQLState()) || "40001".equals(se.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.shutdown();
        }
        dataSource.close();
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Copies the write-ahead log back into the database file ("checkpoints") on a thread of its
     * own, a few times a second. Left to SQLite, the commit that takes the log past
     * {@code wal_autocheckpoint} pages does it, and with {@code synchronous=NORMAL} that is the
     * only moment a commit waits for the disk (two fsyncs, plus copying the log): that writer and
     * every writer queued behind it stall. Here the copying and syncing happen beside the
     * writers. A checkpoint that runs while a writer keeps committing cannot reset the log, so it
     * grows until the writers' own (backstop) checkpoint, which then only has the last frames to
     * copy, resets it. Durability is unchanged (commits are durable once a checkpoint synced
     * them), if anything sooner: within a fraction of a second rather than once per 4 MB of log.
     */
    private static final class Checkpointer extends Thread {
        private static final long INTERVAL_MS = 100;
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
        private final Path file;
        private volatile boolean running = true;

        Checkpointer(Path file) {
            super("labbook-sqlite-checkpoint");
            setDaemon(true);
            this.file = file;
        }

        @Override
        public void run() {
            // A connection of its own, opened here so that start-up does not wait for it.
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement st = c.createStatement()) {
                boolean warned = false;
                while (running) {
                    Thread.sleep(INTERVAL_MS);
                    try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                        rs.next();
                    } catch (SQLException e) {
                        if (!warned) {
                            LOG.warn("Background checkpoint of {} failed (commits will checkpoint instead): {}", file, e.getMessage());
                            warned = true;
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } catch (SQLException e) {
                LOG.warn("No background checkpoints for {} (commits will checkpoint instead): {}", file, e.getMessage());
            }
        }

        void shutdown() {
            running = false;
            interrupt();
            try {
                join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
