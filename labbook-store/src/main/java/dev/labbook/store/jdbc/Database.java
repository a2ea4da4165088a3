package dev.labbook.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
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
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * Opens a database from an MLflow-style URI ({@code sqlite:///abs/path.db}) and applies the
     * migrations it lacks.
     */
    public static Database open(String uri) {
        if (uri.startsWith("sqlite:")) {
            return openSqlite(sqlitePath(uri));
        }
        if (uri.startsWith("postgresql:") || uri.startsWith("postgres:") || uri.startsWith("jdbc:postgresql:")) {
            throw new LabbookException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "PostgreSQL backend stores are not supported yet: " + redact(uri));
        }
        throw LabbookException.invalid(
                "Unsupported backend store URI '%s': use sqlite:///ABSOLUTE/PATH.db", redact(uri));
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
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        HikariDataSource ds = new HikariDataSource(cfg);
        migrate(ds, Dialect.SQLITE);
        return new Database(ds, Dialect.SQLITE);
    }

    private static void migrate(HikariDataSource ds, Dialect dialect) {
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrationLocation())
                .loggers("slf4j")
                .load()
                .migrate();
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

    private static String redact(String uri) {
        return uri.replaceAll("//[^/@]*@", "//***@");
    }

    public Dialect dialect() {
        return dialect;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs a read on a pooled connection. */
    public <T> T read(HandleCallback<T, RuntimeException> callback) {
        return jdbi.withHandle(callback);
    }

    /**
     * Runs a write transaction: committed when the callback returns, rolled back when it throws.
     * On a single-writer database, writers queue on a fair lock instead of meeting SQLITE_BUSY.
     */
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        boolean lock = dialect.singleWriter();
        if (lock) {
            writeLock.lock();
        }
        try {
            return jdbi.inTransaction(TransactionIsolationLevel.UNKNOWN, callback::withHandle);
        } finally {
            if (lock) {
                writeLock.unlock();
            }
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

}
