package dev.labbook.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import org.junit.jupiter.api.Test;

class PostgresUriTest {
    @Test
    void mlflowFormsAndJdbcUrlsGiveTheSameConnection() {
        for (String uri : new String[] {
                "postgresql://alice:s3cret@db.example:5433/mlflow",
                "postgresql+psycopg2://alice:s3cret@db.example:5433/mlflow",
                "postgres://alice:s3cret@db.example:5433/mlflow",
                "jdbc:postgresql://db.example:5433/mlflow?user=alice&password=s3cret"}) {
            PostgresUri p = PostgresUri.parse(uri);
            assertEquals("jdbc:postgresql://db.example:5433/mlflow", p.jdbcUrl(), uri);
            assertEquals("alice", p.user(), uri);
            assertEquals("s3cret", p.password(), uri);
            assertFalse(p.toString().contains("s3cret"));
        }
    }

    @Test
    void percentEncodedCredentialsAreDecodedAndOtherParametersKept() {
        PostgresUri p = PostgresUri.parse("postgresql://bob:p%40ss%2Fw+rd@[::1]:5432/lab?sslmode=disable");
        assertEquals("bob", p.user());
        assertEquals("p@ss/w+rd", p.password());
        assertEquals("jdbc:postgresql://[::1]:5432/lab?sslmode=disable", p.jdbcUrl());
        PostgresUri none = PostgresUri.parse("postgresql://localhost/lab");
        assertNull(none.user());
        assertNull(none.password());
    }

    @Test
    void redactHidesPasswordsButNotWhereTheDatabaseIs() {
        assertEquals("postgresql://alice:***@db:5432/x", PostgresUri.redact("postgresql://alice:p@ss@db:5432/x"));
        assertEquals("jdbc:postgresql://db/x?user=a&password=***&ssl=true",
                PostgresUri.redact("jdbc:postgresql://db/x?user=a&password=pw&ssl=true"));
        assertEquals("sqlite:///tmp/a.db", PostgresUri.redact("sqlite:///tmp/a.db"));
    }

    @Test
    void aUriWithoutDatabaseIsRefusedWithoutShowingThePassword() {
        LabbookException e = assertThrows(LabbookException.class, () -> PostgresUri.parse("postgresql://u:hunter2@db:5432"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql://USER:PASSWORD@HOST:5432/DB"), e.getMessage());
    }
}
