package dev.labbook.store.transfer;

import dev.labbook.core.LabbookException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
            String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")).toLowerCase(Locale.ROOT) : "";
            if (scheme.equals("postgresql") || scheme.startsWith("postgresql+") || scheme.equals("postgres")) {
                return openPostgres(URI.create("postgresql" + uri.substring(uri.indexOf("://"))));
            }
        } catch (SQLException e) {
            throw LabbookException.invalid("Cannot open the database %s: %s", redact(uri), e.getMessage());
        }
        throw LabbookException.invalid("Unsupported database URI '%s': use sqlite:///ABSOLUTE/PATH.db or "
                + "postgresql://USER:PASSWORD@HOST:PORT/DB", redact(uri));
    }

    private static SourceDatabase openPostgres(URI u) throws SQLException {
        Properties p = new Properties();
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            p.setProperty("user", decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) {
                p.setProperty("password", decode(info.substring(colon + 1)));
            }
        }
        String url = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath()
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        Connection c = DriverManager.getConnection(url, p);
        c.setReadOnly(true);
        return new SourceDatabase(c);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static Path sqlitePath(String uri) {
        String rest = uri.substring("sqlite:".length());
        return Path.of(rest.startsWith("//") ? rest.substring(2) : rest);
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        return uri.replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
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
