package dev.labbook.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.store.testing.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} while the PostgreSQL server under a running Labbook server is stopped and
 * started again: 503 naming the database, then 200 once PostgreSQL is back, with no restart of
 * Labbook. The PostgreSQL server is one of this test's own (the suite's shared one must stay up),
 * stopped with {@code pg_ctl stop} and started again over the same data directory and port.
 * Runs in the PostgreSQL execution of the suite.
 */
@org.junit.jupiter.api.Tag("postgresql-only")
@EnabledIfSystemProperty(named = TestDatabases.PROPERTY, matches = "postgresql")
class DatabaseDownHealthTest {
    private static final String[] JSON = {"Accept", "application/json"};

    @TempDir
    Path tmp;

    @Test
    void aStoppedDatabaseIs503NamingItAndHealthyAgainOnceItIsBack() throws Exception {
        Path data = tmp.resolve("pg");
        EmbeddedPostgres pg = postgres(data, 0);
        int port = pg.getPort();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE labbook");
        }
        try (OpsServer s = new OpsServer(tmp, "postgresql://postgres@localhost:" + port + "/labbook")) {
            assertEquals("OK", s.get("/health").body());
            s.api("experiments/create", "{\"name\":\"before\"}");

            pg.close(); // pg_ctl stop: the server's connections are closed, new ones refused

            HttpResponse<String> down = s.get("/health");
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("UNAVAILABLE: database down", down.body());
            HttpResponse<String> downJson = s.get("/health", JSON);
            assertEquals(503, downJson.statusCode());
            JsonNode d = OpsServer.json(downJson);
            assertEquals("database is down", d.get("message").asText());
            assertEquals("DOWN", d.at("/components/database/status").asText());
            // refused at once, or the pool still trying when the probe's 2 s are up
            assertTrue(Set.of("error", "timeout").contains(d.at("/components/database/reason").asText()), d.toString());
            assertEquals("UP", d.at("/components/artifact_store/status").asText());
            assertFalse(downJson.body().contains(":" + port), "no host or port for anyone to read: " + downJson.body());

            pg = postgres(data, port);

            // the pool reconnects by itself: wait for it, then the store works as before
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            HttpResponse<String> r;
            while ((r = s.get("/health")).statusCode() != 200) {
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(System.nanoTime() < deadline, "still down after PostgreSQL came back: " + r.body());
            }
            assertEquals("OK", r.body());
            HttpResponse<String> before = s.get(OpsServer.API + "experiments/get-by-name?experiment_name=before");
            assertEquals(200, before.statusCode(), before.body());
            s.api("experiments/create", "{\"name\":\"after\"}");
        } finally {
            pg.close();
        }
    }

    /** PostgreSQL over {@code data} (created on first use, kept on close) on {@code port} (0: any). */
    private static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofMinutes(2))
                .setServerConfig("fsync", "off")
                .setServerConfig("listen_addresses", "localhost");
        if (port != 0) {
            b.setPort(port);
        }
        return b.start();
    }
}
