package dev.labbook.store.jdbc;

/**
 * What differs between the SQL databases Labbook runs on. Everything else in the store is
 * portable SQL (both SQLite and PostgreSQL support {@code ON CONFLICT}, {@code RETURNING},
 * row-value comparisons and {@code NULLS LAST}).
 */
public enum Dialect {
    SQLITE("sqlite", true),
    POSTGRESQL("postgresql", false);

    /** The Jdbi attribute under which a {@link Database} records its dialect (see {@link #of}). */
    static final String ATTRIBUTE = "labbook.dialect";

    private final String migrationFolder;
    private final boolean singleWriter;

    Dialect(String migrationFolder, boolean singleWriter) {
        this.migrationFolder = migrationFolder;
        this.singleWriter = singleWriter;
    }

    /** The dialect of the database a handle of a {@link Database} is connected to. */
    public static Dialect of(org.jdbi.v3.core.Handle h) {
        Object d = h.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).getAttribute(ATTRIBUTE);
        return d == null ? SQLITE : (Dialect) d;
    }

    /**
     * Runs {@link #lockChangeNumbers} on the handle's database, if it has one: before a write
     * updates runs rows.
     */
    static void lockChangeNumbers(org.jdbi.v3.core.Handle h) {
        String sql = of(h).lockChangeNumbers();
        if (sql != null) {
            h.createQuery(sql).mapTo(Long.class).one();
        }
    }

    /** Classpath folder of this database's Flyway migrations. */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /**
     * True when the database allows one writer at a time (SQLite): the store then serializes
     * write transactions itself rather than letting clients meet SQLITE_BUSY.
     */
    public boolean singleWriter() {
        return singleWriter;
    }

    /** A case-sensitive LIKE ({@code column LIKE ?}); SQLite's own LIKE ignores ASCII case. */
    public String like(String column) {
        return this == SQLITE ? column + " GLOB ?" : column + " LIKE ?";
    }

    /** Converts a LIKE pattern for the operand of {@link #like}: SQLite uses GLOB wildcards. */
    public String likePattern(String pattern) {
        if (this != SQLITE) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '%' -> sb.append('*');
                case '_' -> sb.append('?');
                case '*', '?', '[' -> sb.append('[').append(c).append(']');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A case-insensitive LIKE. */
    public String ilike(String column) {
        return this == SQLITE ? "LOWER(" + column + ") LIKE LOWER(?)" : column + " ILIKE ?";
    }

    /**
     * A join whose left table stays the outer loop: SQLite's planner, without statistics, may
     * pick the other order unless told with CROSS JOIN; PostgreSQL's has statistics (and has no
     * CROSS JOIN with ON).
     */
    public String outerFirstJoin() {
        return this == SQLITE ? "CROSS JOIN" : "JOIN";
    }

    /**
     * Rows per multi-row INSERT of metric points. SQLite's per-row work halves by 100 (more gains
     * little); each PostgreSQL statement is a round trip to the server, so a log-batch's 1000
     * points go in one (5000 parameters, far below its limit of 65535).
     */
    public int rowsPerInsert() {
        return this == SQLITE ? MetricDao.ROWS_PER_INSERT : 1000;
    }

    /** The statement that opens a read-only snapshot transaction (see {@link Database#snapshot}). */
    public String beginSnapshot() {
        return this == SQLITE ? "BEGIN DEFERRED" : "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    }

    /**
     * An aggregate packing each group's {@code key US bytes US value} pairs (bytes: the value's
     * UTF-8 length) into one binary value, read with {@code getBytes}.
     */
    public String packedPairs(String key, String value) {
        if (this == SQLITE) {
            return "CAST(group_concat(" + key + " || char(31) || length(CAST(" + value + " AS BLOB)) || char(31) || "
                    + value + ", '') AS BLOB)";
        }
        return "convert_to(string_agg(" + key + " || chr(31) || octet_length(" + value + ") || chr(31) || " + value
                + ", ''), 'UTF8')";
    }

    /**
     * An UPDATE giving run {@code ?} the next change number, unless it alone holds the highest
     * one (see {@code RunDao.changed}). On PostgreSQL the numbers come from a counter row whose
     * lock orders the writers (see the postgresql V4 migration).
     */
    public String numberChangedRun() {
        if (this == SQLITE) {
            return "UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = ?"
                    + " AND NOT (change_seq = (SELECT MAX(change_seq) FROM runs)"
                    + " AND (SELECT COUNT(*) FROM runs WHERE change_seq = (SELECT MAX(change_seq) FROM runs)) = 1)";
        }
        // numbers are unique there: holding the highest is holding it alone
        return "UPDATE runs SET change_seq = labbook_next_change() WHERE run_pk = ? AND change_seq <> labbook_last_change()";
    }

    /**
     * A statement to run before a write transaction updates a runs row, or null when none is
     * needed. On PostgreSQL it takes the change counter's lock, after the writer locked the runs
     * rows it writes (see {@code RunDao.findLocked}) and before any other row: every writer locks
     * in that order, so that two writers never hold each other's locks (a deadlock); SQLite has
     * one writer at a time.
     */
    public String lockChangeNumbers() {
        return this == SQLITE ? null : "SELECT labbook_last_change()";
    }

    /**
     * {@code FOR UPDATE SKIP LOCKED} on databases with row locks, so that concurrent claimers
     * each lock a different row instead of queueing on the first; empty on SQLite, whose writers
     * take turns anyway.
     */
    public String skipLocked() {
        return this == SQLITE ? "" : " FOR UPDATE SKIP LOCKED";
    }

    // ------------------------------------------------------------------ copies (db migrate, import mlflow)

    /**
     * Tables of this database's own bookkeeping, derived from the others (PostgreSQL's run change
     * counter): a copy between stores leaves them out and rebuilds them with {@link #afterKeyedInserts}.
     */
    public java.util.Set<String> bookkeepingTables() {
        return this == SQLITE ? java.util.Set.of() : java.util.Set.of("run_change_counter");
    }

    /**
     * Statements that bring the database's counters in line after rows were inserted into
     * {@code table} with their integer key {@code keyColumn} given (a store copy, an import that
     * keeps ids): PostgreSQL's identity sequence, which would otherwise hand out a key already
     * taken, and, for runs, the change counter. SQLite takes the next key from the rows.
     */
    public java.util.List<String> afterKeyedInserts(String table, String keyColumn) {
        if (this == SQLITE) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        // setval(NULL, ...) is NULL, not an error: a column without a sequence is left alone
        out.add("SELECT setval(pg_get_serial_sequence('" + table + "', '" + keyColumn + "'), GREATEST(COALESCE(MAX(" + keyColumn
                + "), 0), 1), MAX(" + keyColumn + ") IS NOT NULL) FROM " + table);
        if (table.equals("runs")) {
            out.add("UPDATE run_change_counter SET seq = (SELECT COALESCE(MAX(change_seq), 0) FROM runs) WHERE id = 1");
        }
        return out;
    }
}
