package dev.labbook.store.jdbc;

/**
 * What differs between the SQL databases Labbook runs on. Everything else in the store is
 * portable SQL (both SQLite and PostgreSQL support {@code ON CONFLICT}, {@code RETURNING},
 * row-value comparisons and {@code NULLS LAST}).
 */
public enum Dialect {
    SQLITE("sqlite", true),
    POSTGRESQL("postgresql", false);

    private final String migrationFolder;
    private final boolean singleWriter;

    Dialect(String migrationFolder, boolean singleWriter) {
        this.migrationFolder = migrationFolder;
        this.singleWriter = singleWriter;
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
}
