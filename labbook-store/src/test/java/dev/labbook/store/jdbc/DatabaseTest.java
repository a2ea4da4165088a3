package dev.labbook.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class DatabaseTest {
    @TempDir
    Path dir;

    private static SQLiteDataSource plain(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    @Test
    void skipsFlywayOnlyWhenItsHistoryMatchesTheBundledMigrations() throws Exception {
        Path file = dir.resolve("a.db");
        assertFalse(Database.migrationsApplied(plain(file), Dialect.SQLITE), "an empty database needs migrating");
        Database.openSqlite(file).close();
        assertTrue(Database.migrationsApplied(plain(file), Dialect.SQLITE),
                "after Flyway ran, the history matches (names and Flyway's own checksums)");
        try (Connection c = plain(file).getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        }
        assertFalse(Database.migrationsApplied(plain(file), Dialect.SQLITE), "a changed checksum is Flyway's to judge");
        assertThrows(org.flywaydb.core.api.FlywayException.class, () -> Database.openSqlite(file),
                "and Flyway still refuses a migration changed after it was applied");
    }

    @Test
    void aSnapshotDoesNotSeeWhatIsCommittedWhileItReads() throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("s.db"))) {
            db.write(h -> h.execute("CREATE TABLE t (x INTEGER)"));
            db.write(h -> h.execute("INSERT INTO t VALUES (1)"));
            String seen = db.snapshot(h -> {
                long before = h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one();
                // another thread (so another connection of the pool) commits between the two statements
                Thread writer = new Thread(() -> db.write(w -> w.execute("INSERT INTO t VALUES (2)")));
                writer.start();
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                long after = h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one();
                return before + "," + after;
            });
            assertEquals("1,1", seen);
            assertEquals(2L, count(db));
            assertThrows(IllegalStateException.class, () -> db.snapshot(h -> {
                throw new IllegalStateException("a failing read");
            }));
            // the connection went back to the pool out of its transaction: writes and reads still work
            for (int i = 0; i < 8; i++) {
                db.write(h -> h.execute("INSERT INTO t VALUES (3)"));
                assertEquals(3L + i, count(db));
            }
        }
    }

    private static long count(Database db) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one());
    }

    @Test
    void checkpointsTheLogInTheBackground() throws Exception {
        Path file = dir.resolve("b.db");
        try (Database db = Database.openSqlite(file)) {
            long before = java.nio.file.Files.size(file);
            // ~2 MB of new pages: far below the writers' own checkpoint threshold (64 MB of log),
            // so only a background checkpoint copies them into the database file.
            db.write(h -> h.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                    + " INSERT INTO experiments (name, creation_time, last_update_time) SELECT 'e' || i || printf('%.1000c', 'x'), 0, 0 FROM n"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (java.nio.file.Files.size(file) < before + (1 << 20) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(java.nio.file.Files.size(file) >= before + (1 << 20), "the log was copied into the database file");
            assertEquals(2000, (int) db.read(h -> h.createQuery("SELECT COUNT(*) FROM experiments WHERE name LIKE 'e%'").mapTo(Integer.class).one()));
        }
    }
}
