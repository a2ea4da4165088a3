package dev.labbook.store.jdbc;

import dev.labbook.core.model.Page;
import dev.labbook.core.model.RunInfo;
import dev.labbook.store.RunQuery;
import dev.labbook.store.dashboard.RunTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Builds the dashboard's runs table: the run search picks and orders the runs (reading only their
 * keys and change numbers), then each run's cells come from {@link RunCellsCache} when the run has
 * not changed since they were read, and otherwise from one query per kind (runs, params, latest
 * metrics, user tags) over the runs missing, without assembling full run objects. Many missing
 * runs are read by experiment with a join rather than an IN list of thousands of keys.
 */
final class RunTableQuery {
    /** Up to this many runs, cells are read by run key; beyond, by experiment. */
    private static final int IN_LIST_LIMIT = 500;

    /** A run as the search sees it: its key and change number. */
    record RunKey(long runPk, long changeSeq) {}

    private static final RunSearch.Projection<RunKey> KEYS =
            new RunSearch.Projection<>("r.run_pk, r.change_seq", (rs, ctx) -> new RunKey(rs.getLong(1), rs.getLong(2)));

    private final RunSearch search;
    private final RunCellsCache cache;
    private final Dialect dialect;

    RunTableQuery(Dialect dialect, RunCellsCache cache) {
        this.dialect = dialect;
        this.search = new RunSearch(dialect);
        this.cache = cache;
    }

    /**
     * The table of the runs {@code q} matches, or of those among them numbered at or above
     * {@code changedSince} when it is not null: every run changed after a table numbered
     * {@code changedSince} (see {@link RunDao#changed}), and the run holding that number. Reads
     * several statements: run it in one snapshot.
     */
    RunTable table(Handle h, RunQuery q, Long changedSince) {
        long changeSeq = h.createQuery("SELECT COALESCE(MAX(change_seq), 0) FROM runs").mapTo(Long.class).one();
        Page<RunKey> page = search.rows(h, q, changedSince, KEYS);
        List<RunKey> keys = page.items();
        RunCells[] cells = new RunCells[keys.size()];
        Map<Long, Integer> missing = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            RunKey k = keys.get(i);
            cells[i] = cache.get(k.runPk(), k.changeSeq());
            if (cells[i] == null) {
                missing.put(k.runPk(), i);
            }
        }
        List<Long> experiments = experiments(q);
        if (!missing.isEmpty()) {
            load(h, experiments, missing, cells, changeSeq);
        }
        List<String> changed = changedSince == null ? null : changedRuns(h, experiments, changedSince);
        return assemble(cells, page.nextPageToken() != null, changeSeq, changed);
    }

    private static List<Long> experiments(RunQuery q) {
        return Ids.experiments(q.experimentIds());
    }

    private static List<String> changedRuns(Handle h, List<Long> experiments, long changedSince) {
        if (experiments.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT run_uuid FROM runs WHERE change_seq >= ? AND experiment_id IN (" + join(experiments) + ")")
                .bind(0, changedSince).mapTo(String.class).list();
    }

    /**
     * Reads the cells of the missing runs (run key to position) into {@code cells}, and caches
     * those numbered below {@code changeSeq}, the highest number: a run that alone holds the
     * highest number may change without a new one (see {@link RunDao#changed}), the others not.
     */
    private void load(Handle h, List<Long> experiments, Map<Long, Integer> missing, RunCells[] cells, long changeSeq) {
        String scope = missing.size() <= IN_LIST_LIMIT
                ? "x.run_pk IN (" + join(missing.keySet()) + ")"
                : "x.run_pk IN (SELECT run_pk FROM runs WHERE experiment_id IN (" + join(experiments) + "))";
        Map<Long, CellsBuilder> builders = new HashMap<>(missing.size() * 2);
        h.createQuery("SELECT " + RunRow.COLUMNS + ", r.change_seq FROM runs r WHERE " + scope.replace("x.", "r."))
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    long pk = rs.getLong(1);
                    if (missing.containsKey(pk)) {
                        builders.put(pk, new CellsBuilder(RunRow.map(rs).info(), rs.getLong(11)));
                    }
                    return pk;
                })
                .forEach(x -> { });
        packed(h, "params", scope, "", (b, k, v) -> b.param(k, v), builders);
        h.createQuery("SELECT x.run_pk, x.key, x.value, x.is_nan FROM metric_series x WHERE " + scope)
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    CellsBuilder b = builders.get(rs.getLong(1));
                    if (b != null) {
                        b.metric(cache.key(rs.getString(2)), rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3));
                    }
                    return b;
                })
                .forEach(x -> { });
        packed(h, "tags", scope, " AND x.key NOT LIKE 'mlflow.%' AND x.key NOT LIKE 'labbook.%'", (b, k, v) -> b.tag(k, v), builders);
        for (var e : builders.entrySet()) {
            RunCells c = e.getValue().build();
            cells[missing.get(e.getKey())] = c;
            if (c.changeSeq() < changeSeq) {
                cache.put(e.getKey(), c);
            }
        }
    }

    private interface CellSink {
        void add(CellsBuilder b, String key, String value);
    }

    /**
     * Reads the key/value pairs of a params-like table packed into one value per run, which is
     * several times faster than one row per pair through the driver. Each pair is packed as
     * {@code key US bytes US value}, where bytes is the UTF-8 length of the value, so any value
     * unpacks safely.
     */
    private void packed(Handle h, String table, String scope, String extra, CellSink sink, Map<Long, CellsBuilder> builders) {
        h.createQuery("SELECT x.run_pk, " + dialect.packedPairs("x.key", "x.value") + " FROM " + table + " x WHERE " + scope + extra
                        + " AND x.value IS NOT NULL GROUP BY x.run_pk")
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    CellsBuilder b = builders.get(rs.getLong(1));
                    byte[] bytes = rs.getBytes(2);
                    if (b == null || bytes == null) {
                        return false;
                    }
                    int i = 0;
                    while (i < bytes.length) {
                        int us = indexOf(bytes, (byte) 31, i);
                        String key = cache.key(new String(bytes, i, us - i, StandardCharsets.UTF_8));
                        int us2 = indexOf(bytes, (byte) 31, us + 1);
                        int len = Integer.parseInt(new String(bytes, us + 1, us2 - us - 1, StandardCharsets.US_ASCII));
                        sink.add(b, key, new String(bytes, us2 + 1, len, StandardCharsets.UTF_8));
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

    /** The rows in the runs' order, with one column per key any of them has, keys sorted. */
    private static RunTable assemble(RunCells[] cells, boolean truncated, long changeSeq, List<String> changed) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        for (RunCells c : cells) {
            params.addAll(Arrays.asList(c.paramKeys()));
            metrics.addAll(Arrays.asList(c.metricKeys()));
            tags.addAll(Arrays.asList(c.tagKeys()));
        }
        int a = RunTable.ATTRIBUTES.size();
        Map<String, Integer> paramCol = columns(params, a);
        Map<String, Integer> metricCol = columns(metrics, a + params.size());
        Map<String, Integer> tagCol = columns(tags, a + params.size() + metrics.size());
        int width = a + params.size() + metrics.size() + tags.size();
        List<Object[]> rows = new ArrayList<>(cells.length);
        for (RunCells c : cells) {
            Object[] row = new Object[width];
            RunInfo i = c.info();
            row[0] = i.runId();
            row[1] = i.runName();
            row[2] = i.status().name();
            row[3] = i.startTime();
            row[4] = i.endTime();
            row[5] = i.userId();
            row[6] = i.lifecycleStage().toString();
            row[7] = i.experimentId();
            for (int k = 0; k < c.paramKeys().length; k++) {
                row[paramCol.get(c.paramKeys()[k])] = c.paramValues()[k];
            }
            for (int k = 0; k < c.metricKeys().length; k++) {
                row[metricCol.get(c.metricKeys()[k])] = c.metricValues()[k];
            }
            for (int k = 0; k < c.tagKeys().length; k++) {
                row[tagCol.get(c.tagKeys()[k])] = c.tagValues()[k];
            }
            rows.add(row);
        }
        return new RunTable(RunTable.ATTRIBUTES, List.copyOf(params), List.copyOf(metrics), List.copyOf(tags), rows, truncated,
                changeSeq, changed);
    }

    private static Map<String, Integer> columns(TreeSet<String> keys, int offset) {
        Map<String, Integer> out = new HashMap<>(keys.size() * 2);
        for (String k : keys) {
            out.put(k, offset + out.size());
        }
        return out;
    }

    private static String join(Iterable<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            sb.append(sb.length() == 0 ? "" : ",").append(id);
        }
        return sb.toString();
    }

    /** The cells of one run as the queries deliver them. */
    private static final class CellsBuilder {
        private final RunInfo info;
        private final long changeSeq;
        private final List<String> paramKeys = new ArrayList<>();
        private final List<String> paramValues = new ArrayList<>();
        private final List<String> metricKeys = new ArrayList<>();
        private final List<Double> metricValues = new ArrayList<>();
        private final List<String> tagKeys = new ArrayList<>();
        private final List<String> tagValues = new ArrayList<>();

        CellsBuilder(RunInfo info, long changeSeq) {
            this.info = info;
            this.changeSeq = changeSeq;
        }

        void param(String key, String value) {
            paramKeys.add(key);
            paramValues.add(value);
        }

        void metric(String key, double value) {
            metricKeys.add(key);
            metricValues.add(value);
        }

        void tag(String key, String value) {
            tagKeys.add(key);
            tagValues.add(value);
        }

        RunCells build() {
            double[] mv = new double[metricValues.size()];
            for (int i = 0; i < mv.length; i++) {
                mv[i] = metricValues.get(i);
            }
            return new RunCells(changeSeq, info, paramKeys.toArray(new String[0]), paramValues.toArray(new String[0]),
                    metricKeys.toArray(new String[0]), mv, tagKeys.toArray(new String[0]), tagValues.toArray(new String[0]));
        }
    }
}
