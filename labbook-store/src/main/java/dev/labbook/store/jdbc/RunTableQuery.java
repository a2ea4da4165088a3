package dev.labbook.store.jdbc;

import dev.labbook.core.model.Page;
import dev.labbook.core.model.RunInfo;
import dev.labbook.store.RunQuery;
import dev.labbook.store.dashboard.RunTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Builds the dashboard's runs table straight from the rows: the run search picks and orders the
 * runs, then one query per kind (params, latest metrics, user tags) fills the cells, without
 * assembling full run objects. Large results read the whole experiments' cells with a join
 * rather than an IN list of thousands of keys.
 */
final class RunTableQuery {
    /** Up to this many runs, cells are read by run key; beyond, by experiment. */
    private static final int IN_LIST_LIMIT = 500;

    private final RunSearch search;

    RunTableQuery(Dialect dialect) {
        this.search = new RunSearch(dialect);
    }

    RunTable table(Handle h, RunQuery q) {
        Page<RunRow> page = search.rows(h, q);
        List<RunRow> rows = page.items();
        Map<Long, Integer> index = new HashMap<>(rows.size() * 2);
        LinkedHashSet<Long> experiments = new LinkedHashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            index.put(rows.get(i).runPk(), i);
            experiments.add(rows.get(i).experimentId());
        }
        Cells params = new Cells();
        Cells metrics = new Cells();
        Cells tags = new Cells();
        if (!rows.isEmpty()) {
            String scope;
            if (rows.size() <= IN_LIST_LIMIT) {
                StringBuilder in = new StringBuilder();
                for (RunRow r : rows) {
                    in.append(in.length() == 0 ? "" : ",").append(r.runPk());
                }
                scope = "x.run_pk IN (" + in + ")";
            } else {
                StringBuilder in = new StringBuilder();
                for (long e : experiments) {
                    in.append(in.length() == 0 ? "" : ",").append(e);
                }
                scope = "x.run_pk IN (SELECT run_pk FROM runs WHERE experiment_id IN (" + in + "))";
            }
            packed(h, "params", scope, "", index, params);
            h.createQuery("SELECT x.run_pk, x.key, x.value, x.is_nan FROM metric_series x WHERE " + scope)
                    .setFetchSize(10_000)
                    .map((rs, ctx) -> metrics.add(index.get(rs.getLong(1)), rs.getString(2),
                            rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3)))
                    .forEach(x -> { });
            packed(h, "tags", scope, " AND x.key NOT LIKE 'mlflow.%' AND x.key NOT LIKE 'labbook.%'", index, tags);
        }
        int a = RunTable.ATTRIBUTES.size();
        String[] pk = params.sortedKeys();
        String[] mk = metrics.sortedKeys();
        String[] tk = tags.sortedKeys();
        int width = a + pk.length + mk.length + tk.length;
        List<Object[]> out = new ArrayList<>(rows.size());
        for (RunRow r : rows) {
            Object[] row = new Object[width];
            RunInfo i = r.info();
            row[0] = i.runId();
            row[1] = i.runName();
            row[2] = i.status().name();
            row[3] = i.startTime();
            row[4] = i.endTime();
            row[5] = i.userId();
            row[6] = i.lifecycleStage().toString();
            row[7] = i.experimentId();
            out.add(row);
        }
        params.fill(out, a);
        metrics.fill(out, a + pk.length);
        tags.fill(out, a + pk.length + mk.length);
        return new RunTable(RunTable.ATTRIBUTES, List.of(pk), List.of(mk), List.of(tk), out, page.nextPageToken() != null);
    }

    /**
     * Reads the key/value pairs of a params-like table packed into one value per run, which is
     * several times faster than one row per pair through the driver. Each pair is packed as
     * {@code key US bytes US value}, where bytes is the UTF-8 length of the value, so any value
     * unpacks safely.
     */
    private static void packed(Handle h, String table, String scope, String extra, Map<Long, Integer> index, Cells cells) {
        String pair = "x.key || char(31) || length(CAST(x.value AS BLOB)) || char(31) || x.value";
        h.createQuery("SELECT x.run_pk, CAST(group_concat(" + pair + ", '') AS BLOB) FROM " + table + " x WHERE " + scope + extra
                        + " AND x.value IS NOT NULL GROUP BY x.run_pk")
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    Integer row = index.get(rs.getLong(1));
                    byte[] b = rs.getBytes(2);
                    if (row == null || b == null) {
                        return false;
                    }
                    int i = 0;
                    while (i < b.length) {
                        int us = indexOf(b, (byte) 31, i);
                        String key = new String(b, i, us - i, StandardCharsets.UTF_8);
                        int us2 = indexOf(b, (byte) 31, us + 1);
                        int len = Integer.parseInt(new String(b, us + 1, us2 - us - 1, StandardCharsets.US_ASCII));
                        cells.add(row, key, new String(b, us2 + 1, len, StandardCharsets.UTF_8));
                        i = us2 + 1 + len;
                    }
                    return true;
                })
                .forEach(x -> { });
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("Malformed packed cells");
    }

    /** Cells of one kind as (row, key, value) triples, keys numbered in order of appearance. */
    private static final class Cells {
        private final Map<String, Integer> keyIds = new HashMap<>();
        private final List<String> keys = new ArrayList<>();
        private int[] rows = new int[1024];
        private int[] keyOf = new int[1024];
        private Object[] values = new Object[1024];
        private int size;
        private int[] column;

        boolean add(Integer row, String key, Object value) {
            if (row == null) {
                return false; // a run of the experiment that did not match the search
            }
            Integer k = keyIds.get(key);
            if (k == null) {
                k = keys.size();
                keyIds.put(key, k);
                keys.add(key);
            }
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                keyOf = Arrays.copyOf(keyOf, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            rows[size] = row;
            keyOf[size] = k;
            values[size] = value;
            size++;
            return true;
        }

        /** The keys in sorted order; also fixes each key's column. */
        String[] sortedKeys() {
            String[] sorted = keys.toArray(new String[0]);
            Arrays.sort(sorted);
            column = new int[sorted.length];
            for (int c = 0; c < sorted.length; c++) {
                column[keyIds.get(sorted[c])] = c;
            }
            return sorted;
        }

        void fill(List<Object[]> out, int offset) {
            for (int i = 0; i < size; i++) {
                out.get(rows[i])[offset + column[keyOf[i]]] = values[i];
            }
        }
    }
}
