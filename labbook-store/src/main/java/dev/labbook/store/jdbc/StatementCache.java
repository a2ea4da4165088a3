package dev.labbook.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept open per SQLite connection, for the statements every log-batch runs.
 * sqlite-jdbc has no statement cache and the pool closes the statements of a connection handed
 * back, so each log-batch used to prepare its half-dozen statements again: about a tenth of the
 * writer's time (measured with JFR under 8 concurrent writers). Statements are prepared on the
 * driver's own connection, out of the pool's sight, and live as long as it does.
 *
 * <p>A pooled connection is used by one thread at a time, so a connection's statements are too;
 * and one statement serves one use at a time: getting it again clears a batch being built on it.
 * Callers must not close a statement they get here, and must close the result sets they open (a
 * statement is reset when its result set closes).
 *
 * <p>Holds statements, never results: each use runs against the database as it is, so writes by
 * other connections or other replicas are seen as with an unprepared statement.
 */
final class StatementCache {
    /** Statements kept per connection, least recently used first out (the SQL of batches varies in length). */
    private static final int PER_CONNECTION = 64;

    private static final Map<Connection, Map<String, PreparedStatement>> BY_CONNECTION = new HashMap<>();

    private StatementCache() {}

    /** The prepared statement of {@code sql} on {@code c}'s driver connection, with no batch left over from a failed use. */
    static PreparedStatement get(Connection c, String sql) throws SQLException {
        // another driver's connection is kept as given: the pool may close its statements, which prepares them again
        Connection raw = c.isWrapperFor(SQLiteConnection.class) ? c.unwrap(SQLiteConnection.class) : c;
        Map<String, PreparedStatement> mine = statementsOf(raw);
        PreparedStatement ps = mine.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = raw.prepareStatement(sql);
            mine.put(sql, ps);
        } else {
            ps.clearBatch();
        }
        return ps;
    }

    private static Map<String, PreparedStatement> statementsOf(Connection raw) throws SQLException {
        synchronized (BY_CONNECTION) {
            Map<String, PreparedStatement> mine = BY_CONNECTION.get(raw);
            if (mine == null) {
                // a new connection: forget those the pool has closed meanwhile
                for (var it = BY_CONNECTION.keySet().iterator(); it.hasNext(); ) {
                    if (it.next().isClosed()) {
                        it.remove();
                    }
                }
                mine = new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                        if (size() <= PER_CONNECTION) {
                            return false;
                        }
                        try {
                            eldest.getValue().close();
                        } catch (SQLException e) {
                            // closing a statement of an open connection does not fail; nothing to keep anyway
                        }
                        return true;
                    }
                };
                BY_CONNECTION.put(raw, mine);
            }
            return mine;
        }
    }
}
