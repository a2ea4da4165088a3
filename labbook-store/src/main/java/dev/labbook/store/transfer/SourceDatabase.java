package dev.labbook.store.transfer;

import dev.labbook.core.LabbookException;
import dev.labbook.store.jdbc.PostgresUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read-only JDBC connection to another tool's database (an MLflow tracking database), opened
 * from its SQLAlchemy URI, with the tables and columns it has: the schema differs between MLflow
 * versions, and the importer reads what is there.
 */
final class SourceDatabase implements AutoCloseable {
    private final Connection connection;
    private final Map<String, Set<String>> columns = new HashMap<>();
    private long rowsRead;

    private SourceDatabase(Connection connection) throws SQLException {
        this.connection = connection;
        DatabaseMetaData md = connection.getMetaData();
        String schema = connection.getSchema();
        try (ResultSet rs = md.getColumns(null, schema, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                columns.computeIfAbsent(table, t -> new TreeSet<>()).add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * Opens {@code sqlite:///ABS/PATH.db} (read-only; the file must exist) or
     * {@code postgresql://USER:PASSWORD@HOST:PORT/DB} (also {@code postgresql+DRIVER://} and
     * {@code postgres://}).
     */
    static SourceDatabase open(String uri) {
        try {
            if (uri.startsWith("sqlite:")) {
                Path file = sqlitePath(uri);
                if (!Files.isRegularFile(file)) {
                    throw LabbookException.invalid("No MLflow database at %s", file);
                }
                Properties p = new Properties();
                p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: an import never writes its source
                return new SourceDatabase(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p));
            }
            if (PostgresUri.matches(uri)) {
                PostgresUri pg = PostgresUri.parse(uri);
                Properties p = new Properties();
                if (pg.user() != null) {
                    p.setProperty("user", pg.user());
                }
                if (pg.password() != null) {
                    p.setProperty("password", pg.password());
                }
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), p);
                c.setReadOnly(true);
                return new SourceDatabase(c);
            }
        } catch (SQLException e) {
            throw LabbookException.invalid("Cannot open the database %s: %s", redact(uri), e.getMessage());
        }
        throw LabbookException.invalid("Unsupported database URI '%s': use sqlite:///ABSOLUTE/PATH.db or "
                + "postgresql://USER:PASSWORD@HOST:PORT/DB", redact(uri));
    }

    static Path sqlitePath(String uri) {
        String rest = uri.substring("sqlite:".length());
        return Path.of(rest.startsWith("//") ? rest.substring(2) : rest);
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        return PostgresUri.redact(uri);
    }

    Connection connection() {
        return connection;
    }

    boolean hasTable(String table) {
        return columns.containsKey(table);
    }

    boolean hasColumn(String table, String column) {
        Set<String> c = columns.get(table);
        return c != null && c.contains(column);
    }

    /** {@code column} when the table has it, else {@code fallback} (an SQL literal). */
    String columnOr(String table, String column, String fallback) {
        return hasColumn(table, column) ? column : fallback + " AS " + column;
    }

    /** Every row of a query, each column as JDBC's object (or null); counted as read. */
    java.util.List<Object[]> rows(String sql, Object... args) {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            java.util.List<Object[]> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    out.add(row);
                }
            }
            rowsRead += out.size();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the source database (" + e.getMessage() + "): " + sql, e);
        }
    }

    /** Rows read so far through {@link #rows} and {@link #countRead}. */
    long rowsRead() {
        return rowsRead;
    }

    void countRead(long n) {
        rowsRead += n;
    }

    static Long asLong(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return Long.parseLong(o.toString().trim());
    }

    static String asString(Object o) {
        return o == null ? null : o.toString();
    }

    static boolean asBool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        Long l = o == null ? null : asLong(o);
        return l != null && l != 0;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was written
        }
    }
}
