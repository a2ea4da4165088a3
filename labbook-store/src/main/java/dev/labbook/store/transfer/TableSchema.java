package dev.labbook.store.transfer;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One table of a Labbook store as its database describes it (JDBC metadata, the same on SQLite
 * and PostgreSQL): columns with a portable kind of value, primary key, and the tables its
 * foreign keys point at. A store copy is driven by these, not by a list of known tables, so a
 * table added by a later migration is copied without anyone remembering to.
 */
record TableSchema(String name, List<Column> columns, List<String> primaryKey, Set<String> parents) {
    /** The kinds of values the stores hold, as compared and copied across databases. */
    enum Kind { LONG, DOUBLE, BOOL, BYTES, TEXT }

    record Column(String name, Kind kind) {}

    /** The Flyway history is the schema's, not data: each side has its own. */
    static final String FLYWAY_TABLE = "flyway_schema_history";

    /** The application tables of the database behind {@code c}, by name. */
    static Map<String, TableSchema> read(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String schema = c.getSchema();
        Map<String, TableSchema> out = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String t = rs.getString("TABLE_NAME");
                String lower = t.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("sqlite_") && !lower.equals(FLYWAY_TABLE)) {
                    names.add(t);
                }
            }
        }
        for (String t : names) {
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, schema, t, "%")) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), kind(rs.getString("TYPE_NAME"))));
                }
            }
            TreeMap<Integer, String> pk = new TreeMap<>();
            try (ResultSet rs = md.getPrimaryKeys(null, schema, t)) {
                while (rs.next()) {
                    pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            Set<String> parents = new TreeSet<>();
            try (ResultSet rs = md.getImportedKeys(null, schema, t)) {
                while (rs.next()) {
                    parents.add(rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            String name = t.toLowerCase(Locale.ROOT);
            parents.remove(name);
            out.put(name, new TableSchema(name, List.copyOf(columns), List.copyOf(pk.values()), parents));
        }
        return out;
    }

    static Kind kind(String typeName) {
        String t = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
        if (t.startsWith("BOOL")) {
            return Kind.BOOL;
        }
        if (t.contains("INT") || t.contains("SERIAL")) {
            return Kind.LONG;
        }
        if (t.contains("REAL") || t.contains("FLOAT") || t.contains("DOUBLE") || t.contains("NUMERIC") || t.contains("DECIMAL")) {
            return Kind.DOUBLE;
        }
        if (t.contains("BLOB") || t.contains("BYTEA") || t.contains("BINARY")) {
            return Kind.BYTES;
        }
        return Kind.TEXT;
    }

    /** The columns' names, comma-separated, in table order. */
    String columnList() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }

    /** The primary key's columns, comma-separated. */
    String keyList() {
        return String.join(", ", primaryKey);
    }

    int[] keyIndexes() {
        int[] out = new int[primaryKey.size()];
        for (int i = 0; i < out.length; i++) {
            String k = primaryKey.get(i);
            for (int j = 0; j < columns.size(); j++) {
                if (columns.get(j).name().equals(k)) {
                    out[i] = j;
                }
            }
        }
        return out;
    }

    /**
     * What differs from {@code other} in columns (by name) or key, or null. Kinds may differ
     * (a flag is an INTEGER on SQLite, perhaps a BOOLEAN elsewhere): values are converted.
     */
    String differenceFrom(TableSchema other) {
        if (!primaryKey.equals(other.primaryKey)) {
            return "primary key " + primaryKey + " vs " + other.primaryKey;
        }
        List<String> mine = columns.stream().map(Column::name).sorted().toList();
        List<String> theirs = other.columns.stream().map(Column::name).sorted().toList();
        return mine.equals(theirs) ? null : "columns " + mine + " vs " + theirs;
    }
}
