package dev.labbook.store.transfer;

import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.FileInfo;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.transfer.TableSchema.Column;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Copies a whole Labbook store into another (SQLite to PostgreSQL and back, or to another file):
 * every table the schema has, in foreign-key order, then every artifact file; then proves the
 * copy by row counts and content checksums per table and SHA-256 per file.
 *
 * <p>Resumable: each batch of rows is committed on its own, in the source's primary-key order,
 * so after an interruption the target holds a prefix of each table; a re-run skips the tables
 * that are complete, continues the interrupted one after its last copied row, and ends with the
 * same verified copy. Files are written atomically and skipped when already there with the same
 * content.
 *
 * <p>The target's database triggers fire while rows go in (the run change numbers of the V4
 * migration); the rows they touch are set back to the source's values before verification, so
 * the copy is equal row for row.
 */
public final class StoreMigration {
    /**
     * @param batchRows rows per committed batch
     * @param stopAfter for tests of resumption: stop with {@link Interrupted} once this many rows
     *     and files were copied (negative: never)
     * @param progress receives progress lines
     */
    public record Options(int batchRows, long stopAfter, Consumer<String> progress) {
        public static Options defaults(Consumer<String> progress) {
            return new Options(2_000, -1, progress);
        }
    }

    /** One verified table: its rows and their content checksum (the same on both sides). */
    public record TableResult(String table, long rows, long copied, String checksum) {}

    /** What a migration copied and verified. */
    public record Result(List<TableResult> tables, Tally files, long rowsCopied, long millis) {
        public long rows() {
            return tables.stream().mapToLong(TableResult::rows).sum();
        }

        /** Rows copied (in this run) per second. */
        public double rowsPerSecond() {
            return millis == 0 ? rowsCopied * 1000.0 : rowsCopied * 1000.0 / millis;
        }
    }

    /** Thrown when {@link Options#stopAfter} is reached: the copy stopped part-way, on purpose. */
    public static final class Interrupted extends RuntimeException {
        Interrupted(long n) {
            super("Stopped after " + n + " rows and files, as asked");
        }
    }

    private final Options options;
    private long copiedInRun;

    public StoreMigration(Options options) {
        this.options = options;
    }

    /** Copies {@code from} (and its files, when both artifact stores are given) into {@code to}. */
    public Result run(Database from, Database to, ArtifactStore fromFiles, ArtifactStore toFiles) {
        long start = System.nanoTime();
        Map<String, TableSchema> source = from.read(h -> schema(h.getConnection()));
        Map<String, TableSchema> target = to.read(h -> schema(h.getConnection()));
        source.keySet().removeAll(from.dialect().bookkeepingTables());
        target.keySet().removeAll(to.dialect().bookkeepingTables());
        checkSameSchema(from, to, source, target);
        List<String> order = copyOrder(source);
        Map<String, Long> copied = new LinkedHashMap<>();
        List<TableResult> results = new ArrayList<>();
        // one snapshot of the source for the whole copy and its verification
        from.snapshot(src -> {
            Connection s = src.getConnection();
            for (String table : order) {
                copied.put(table, copyTable(s, to, source.get(table), target.get(table)));
            }
            for (String table : order) {
                results.add(verify(s, to, source.get(table), target.get(table), copied.get(table)));
            }
            return null;
        });
        afterKeyedInserts(to, target.values());
        Tally files = new Tally();
        if (fromFiles != null && toFiles != null) {
            copyFiles(fromFiles, new ArtifactCopy(toFiles, files), "", files);
            options.progress().accept(String.format("artifacts: %,d files copied, %,d already present (SHA-256 verified)",
                    files.added(ArtifactCopy.KIND), files.present(ArtifactCopy.KIND)));
        }
        long rowsCopied = copied.values().stream().mapToLong(Long::longValue).sum();
        return new Result(results, files, rowsCopied, (System.nanoTime() - start) / 1_000_000);
    }

    /** The target's key sequences and counters, in line with the keys copied. */
    static void afterKeyedInserts(Database to, java.util.Collection<TableSchema> tables) {
        to.write(h -> {
            for (TableSchema t : tables) {
                if (t.primaryKey().size() == 1 && t.columns().get(t.keyIndexes()[0]).kind() == TableSchema.Kind.LONG) {
                    for (String sql : to.dialect().afterKeyedInserts(t.name(), t.primaryKey().get(0))) {
                        h.execute(sql);
                    }
                }
            }
            return null;
        });
    }

    private static Map<String, TableSchema> schema(Connection c) {
        try {
            return TableSchema.read(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the schema: " + e.getMessage(), e);
        }
    }

    /** Both stores must be at the same migration, with the same tables and columns. */
    private static void checkSameSchema(Database from, Database to, Map<String, TableSchema> source, Map<String, TableSchema> target) {
        Set<String> fromVersions = from.read(h -> new TreeSet<>(h.createQuery(
                "SELECT version FROM " + TableSchema.FLYWAY_TABLE + " WHERE success AND version IS NOT NULL").mapTo(String.class).list()));
        Set<String> toVersions = to.read(h -> new TreeSet<>(h.createQuery(
                "SELECT version FROM " + TableSchema.FLYWAY_TABLE + " WHERE success AND version IS NOT NULL").mapTo(String.class).list()));
        if (!fromVersions.equals(toVersions)) {
            throw LabbookException.invalid("The stores are at different schema versions (source %s, target %s): "
                    + "upgrade both with this Labbook first", fromVersions, toVersions);
        }
        for (String t : source.keySet()) {
            if (!target.containsKey(t)) {
                throw LabbookException.invalid("The source store has a table '%s' that the target lacks: this Labbook does not "
                        + "know how to copy it", t);
            }
            String diff = source.get(t).differenceFrom(target.get(t));
            if (diff != null) {
                throw LabbookException.invalid("Table '%s' differs between the stores (%s)", t, diff);
            }
            if (source.get(t).primaryKey().isEmpty()) {
                throw LabbookException.invalid("Table '%s' has no primary key: it cannot be copied resumably", t);
            }
        }
        for (String t : target.keySet()) {
            if (!source.containsKey(t)) {
                throw LabbookException.invalid("The target store has a table '%s' that the source lacks", t);
            }
        }
    }

    /** Parents before children (foreign keys), otherwise by name. */
    static List<String> copyOrder(Map<String, TableSchema> tables) {
        List<String> out = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        while (out.size() < tables.size()) {
            boolean progressed = false;
            for (TableSchema t : tables.values()) {
                if (!done.contains(t.name()) && done.containsAll(t.parents().stream().filter(tables::containsKey).toList())) {
                    out.add(t.name());
                    done.add(t.name());
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("The tables' foreign keys form a cycle; left: " + tables.keySet().stream()
                        .filter(t -> !done.contains(t)).toList());
            }
        }
        return out;
    }

    private static String select(TableSchema s) {
        return "SELECT " + s.columnList() + " FROM " + s.name();
    }

    /** The target's columns in the source's order (kinds may differ, names do not). */
    private static List<Column> aligned(TableSchema source, TableSchema target) {
        Map<String, Column> byName = new HashMap<>();
        target.columns().forEach(c -> byName.put(c.name(), c));
        return source.columns().stream().map(c -> byName.get(c.name())).toList();
    }

    private long copyTable(Connection s, Database to, TableSchema src, TableSchema dst) {
        long total = count(s, src.name());
        long have = to.read(h -> count(h.getConnection(), dst.name()));
        if (have > total) {
            throw LabbookException.invalid("The target's table %s has more rows (%d) than the source's (%d): "
                    + "migrate into an empty store", src.name(), have, total);
        }
        if (have == total) {
            return 0;
        }
        Object[] after = have == 0 ? null : resumePoint(s, to, src, have);
        options.progress().accept(String.format("%s: %,d rows%s", src.name(), total,
                after == null ? "" : String.format(" (resuming after %,d)", have)));
        List<Column> targetColumns = aligned(src, dst);
        String keyTuple = "(" + src.keyList() + ")";
        String sql = select(src) + (after == null ? "" : " WHERE " + keyTuple + " > (" + marks(after.length) + ")")
                + " ORDER BY " + src.keyList();
        String insert = "INSERT INTO " + dst.name() + " (" + src.columnList() + ") VALUES (" + marks(src.columns().size())
                + ") ON CONFLICT DO NOTHING";
        long copied = 0;
        try (PreparedStatement ps = s.prepareStatement(sql)) {
            if (after != null) {
                Rows.bind(ps, 1, keyColumns(src), after);
            }
            ps.setFetchSize(options.batchRows());
            try (ResultSet rs = ps.executeQuery()) {
                List<Object[]> batch = new ArrayList<>(options.batchRows());
                boolean more = true;
                while (more) {
                    more = rs.next();
                    if (more) {
                        batch.add(Rows.read(rs, src.columns()));
                    }
                    if (batch.size() >= options.batchRows() || (!more && !batch.isEmpty())) {
                        int n = batch.size();
                        n = Math.toIntExact(Math.min(n, budget()));
                        List<Object[]> rows = batch.subList(0, n);
                        to.write(h -> {
                            insertBatch(h.getConnection(), insert, targetColumns, rows);
                            return null;
                        });
                        copied += n;
                        spend(n);
                        batch.clear();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot copy table " + src.name() + ": " + e.getMessage(), e);
        }
        return copied;
    }

    /**
     * Where an interrupted copy of a table continues: after the source's row number {@code have}
     * (in key order), when the target holds that row; else from the start (rows already there
     * are skipped by their key).
     */
    private static Object[] resumePoint(Connection s, Database to, TableSchema src, long have) {
        Object[] key;
        try (PreparedStatement ps = s.prepareStatement("SELECT " + src.keyList() + " FROM " + src.name()
                + " ORDER BY " + src.keyList() + " LIMIT 1 OFFSET ?")) {
            ps.setLong(1, have - 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                key = Rows.read(rs, keyColumns(src));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String where = String.join(" AND ", src.primaryKey().stream().map(k -> k + " = ?").toList());
        boolean there = to.read(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement("SELECT 1 FROM " + src.name() + " WHERE " + where)) {
                Rows.bind(ps, 1, keyColumns(src), key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return there ? key : null;
    }

    private static List<Column> keyColumns(TableSchema t) {
        int[] idx = t.keyIndexes();
        List<Column> out = new ArrayList<>();
        for (int i : idx) {
            out.add(t.columns().get(i));
        }
        return out;
    }

    private static void insertBatch(Connection c, String sql, List<Column> columns, List<Object[]> rows) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] r : rows) {
                Rows.bind(ps, 1, columns, r);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot insert into the target: " + e.getMessage(), e);
        }
    }

    /** How many more rows or files may be copied before the test hook stops the run. */
    private long budget() {
        return options.stopAfter() < 0 ? Long.MAX_VALUE : Math.max(0, options.stopAfter() - copiedInRun);
    }

    private void spend(long n) {
        copiedInRun += n;
        if (options.stopAfter() >= 0 && copiedInRun >= options.stopAfter()) {
            throw new Interrupted(copiedInRun);
        }
    }

    /**
     * Compares the table on both sides by count and checksum; rows the target's triggers changed
     * while the copy went in are set back to the source's values first.
     */
    private TableResult verify(Connection s, Database to, TableSchema src, TableSchema dst, long copied) {
        List<Column> targetColumns = aligned(src, dst);
        TableSums want = sums(s, src, src.columns());
        TableSums got = to.read(h -> sums(h.getConnection(), src, targetColumns));
        if (want.count == got.count && want.sum != got.sum) {
            reconcile(s, to, src, targetColumns);
            got = to.read(h -> sums(h.getConnection(), src, targetColumns));
        }
        if (want.count != got.count || want.sum != got.sum) {
            throw new IllegalStateException(String.format("Table %s differs after the copy: source %,d rows (checksum %016x), "
                    + "target %,d rows (checksum %016x)", src.name(), want.count, want.sum, got.count, got.sum));
        }
        String checksum = String.format("%016x", want.sum);
        options.progress().accept(String.format("%-24s %,12d rows  checksum %s  ok", src.name(), want.count, checksum));
        return new TableResult(src.name(), want.count, copied, checksum);
    }

    private record TableSums(long count, long sum) {}

    /** Row count and the (order-free) sum of the rows' hashes. */
    private static TableSums sums(Connection c, TableSchema t, List<Column> columns) {
        var md = Digests.sha256();
        long n = 0;
        long sum = 0;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery(select(t))) {
                while (rs.next()) {
                    sum += Rows.hash(Rows.read(rs, columns), md);
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read table " + t.name() + ": " + e.getMessage(), e);
        }
        return new TableSums(n, sum);
    }

    /** Sets every target row that differs from its source row (same key) to the source's values. */
    private static void reconcile(Connection s, Database to, TableSchema t, List<Column> targetColumns) {
        int[] keys = t.keyIndexes();
        Map<String, Long> targetHashes = to.read(h -> {
            Map<String, Long> out = new HashMap<>();
            var md = Digests.sha256();
            try (Statement st = h.getConnection().createStatement(); ResultSet rs = st.executeQuery(select(t))) {
                while (rs.next()) {
                    Object[] row = Rows.read(rs, targetColumns);
                    out.put(Rows.keyString(Rows.pick(row, keys)), Rows.hash(row, md));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
        List<Object[]> differing = new ArrayList<>();
        var md = Digests.sha256();
        try (Statement st = s.createStatement(); ResultSet rs = st.executeQuery(select(t))) {
            while (rs.next()) {
                Object[] row = Rows.read(rs, t.columns());
                Long have = targetHashes.get(Rows.keyString(Rows.pick(row, keys)));
                if (have != null && have != Rows.hash(row, md)) {
                    differing.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        if (differing.isEmpty()) {
            return;
        }
        Set<String> keySet = new TreeSet<>(t.primaryKey());
        List<Integer> valueIdx = new ArrayList<>();
        for (int i = 0; i < t.columns().size(); i++) {
            if (!keySet.contains(t.columns().get(i).name())) {
                valueIdx.add(i);
            }
        }
        String sql = "UPDATE " + t.name() + " SET " + String.join(", ", valueIdx.stream().map(i -> t.columns().get(i).name() + " = ?").toList())
                + " WHERE " + String.join(" AND ", t.primaryKey().stream().map(k -> k + " = ?").toList());
        List<Column> bindColumns = new ArrayList<>();
        valueIdx.forEach(i -> bindColumns.add(targetColumns.get(i)));
        for (int k : keys) {
            bindColumns.add(targetColumns.get(k));
        }
        to.write(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
                for (Object[] row : differing) {
                    Object[] values = new Object[bindColumns.size()];
                    int at = 0;
                    for (int i : valueIdx) {
                        values[at++] = row[i];
                    }
                    for (int k : keys) {
                        values[at++] = row[k];
                    }
                    Rows.bind(ps, 1, bindColumns, values);
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private static long count(Connection c, String table) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private void copyFiles(ArtifactStore from, ArtifactCopy copy, String dir, Tally files) {
        for (FileInfo f : from.list(dir)) {
            if (f.isDir()) {
                copyFiles(from, copy, f.path(), files);
                continue;
            }
            if (budget() == 0) {
                throw new Interrupted(copiedInRun);
            }
            long before = files.added(ArtifactCopy.KIND);
            copy.copy(f.path(), f.fileSize() == null ? -1 : f.fileSize(), () -> from.open(f.path()).map(ArtifactFile::content)
                    .orElseThrow(() -> new IOException("The source artifact " + f.path() + " disappeared")));
            if (files.added(ArtifactCopy.KIND) > before) {
                spend(1);
            }
        }
    }
}
