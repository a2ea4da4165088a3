package dev.labbook.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** Opening PostgreSQL stores by URI, on the embedded server, whichever database the suite runs on. */
class PostgresqlDatabaseTest {
    @Test
    void everyUriFormOpensTheSameMigratedDatabase() throws Exception {
        String uri = TestDatabases.emptyPostgresqlUri();
        String rest = uri.substring("postgresql://".length());
        String hostAndDb = rest.substring(rest.indexOf('@') + 1);
        String[] forms = {
                uri,
                "postgresql+psycopg2://" + rest,
                "postgres://" + rest,
                "jdbc:postgresql://" + hostAndDb + "?user=" + TestDatabases.USER + "&password=" + TestDatabases.PASSWORD};
        for (String form : forms) {
            try (Database db = Database.open(form)) {
                assertEquals(Dialect.POSTGRESQL, db.dialect());
                long tables = db.read(h -> h.createQuery(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('runs', 'metric_points', 'sweep_trials')")
                        .mapTo(Long.class).one());
                assertEquals(3, tables, form);
                long migrations = db.read(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")
                        .mapTo(Long.class).one());
                assertEquals(bundledMigrations(), migrations, form);
            }
        }
    }

    @Test
    void aWrongPasswordIsAnActionableErrorThatDoesNotShowIt() {
        String uri = TestDatabases.postgresqlUri().replace(TestDatabases.PASSWORD, "not-the-password-42");
        LabbookException e = assertThrows(LabbookException.class, () -> Database.open(uri));
        assertEquals(ErrorCode.TEMPORARILY_UNAVAILABLE, e.code());
        assertFalse(e.getMessage().contains("not-the-password-42"), e.getMessage());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("localhost:" + TestDatabases.postgresqlPort()), e.getMessage());
    }

    @Test
    void aDatabaseThatIsNotThereIsNamedInTheError() {
        String uri = TestDatabases.postgresqlUri().replaceAll("/labbook_[0-9]+$", "/no_such_db");
        LabbookException e = assertThrows(LabbookException.class, () -> Database.open(uri));
        assertTrue(e.getMessage().contains("no_such_db"), e.getMessage());
        assertFalse(e.getMessage().contains(TestDatabases.PASSWORD), e.getMessage());
    }

    /** The number of migration scripts shipped for PostgreSQL: every one of them must be applied. */
    private static long bundledMigrations() throws Exception {
        java.net.URL folder = Database.class.getResource("/db/migration/postgresql");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(folder.toURI()))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
