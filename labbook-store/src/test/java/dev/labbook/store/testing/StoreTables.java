package dev.labbook.store.testing;

import dev.labbook.store.jdbc.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a whole SQLite store, for row-by-row comparisons of copies. */
public final class StoreTables {
    private StoreTables() {}

    /** Every table's rows in a canonical order, as JDBC reads them (independent of the migration's own reading). */
    public static Map<String, List<List<Object>>> rows(Database db) {
        return db.read(h -> {
            Map<String, List<List<Object>>> out = new TreeMap<>();
            Connection c = h.getConnection();
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                for (String t : names) {
                    List<List<Object>> rows = new ArrayList<>();
                    try (ResultSet r = st.executeQuery("SELECT * FROM " + t)) {
                        int n = r.getMetaData().getColumnCount();
                        while (r.next()) {
                            List<Object> row = new ArrayList<>();
                            for (int i = 1; i <= n; i++) {
                                Object v = r.getObject(i);
                                row.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v);
                            }
                            rows.add(row);
                        }
                    }
                    rows.sort((a, b) -> a.toString().compareTo(b.toString()));
                    out.put(t, rows);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
    }
}
