package dev.labbook.store.auth;

import java.nio.file.Path;

/**
 * The database a store test runs on: an SQLite file under the test's folder, or the database
 * named by {@code -Dlabbook.test.db} once the PostgreSQL dialect provides one.
 */
final class TestDatabases {
    private TestDatabases() {}

    static String uri(Path dir) {
        return "sqlite:///" + dir.toAbsolutePath().resolve("labbook.db").toString().replaceFirst("^/", "");
    }
}
