package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.server.ServerConfig;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.testing.MlflowFixture;
import dev.labbook.store.testing.StoreTables;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labbook import mlflow} and {@code labbook db migrate} as a user runs them: counts of
 * what was added and already present, one error line for a conflicting id, and a migration
 * whose process is killed (SIGKILL) part-way and then run again.
 */
class TransferCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void importMlflowReportsWhatItAddedAndASecondRunAddsNothing() throws Exception {
        Path mlflowDb = MlflowFixture.standard(tmp, true);
        String[] args = {"import", "mlflow", "--from", "sqlite:///" + mlflowDb, "--artifacts", tmp.resolve("mlartifacts").toString(),
            "--to", tmp.resolve("lb").toString()};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().matches("(?s).*runs: +added 3, already present 0.*"), first.out());
        assertTrue(first.out().matches("(?s).*rows/s.*"), first.out());
        CliRun second = CliRun.of(args);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().matches("(?s).*runs: +added 0, already present 3.*"), second.out());
        assertTrue(second.out().matches("(?s).*metric points: +added 0, already present 1,615.*"), second.out());
        assertTrue(!second.out().matches("(?s).*added [1-9].*"), second.out());
    }

    @Test
    void aConflictingIdIsOneErrorLine() throws Exception {
        Path mlflowDb = MlflowFixture.standard(tmp, false);
        ServerConfig lb = ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("lb"));
        try (Database db = Database.open(lb.backendStoreUri())) {
            db.write(h -> h.execute("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,"
                    + " creation_time, last_update_time) VALUES (2, 'mine', 'mlflow-artifacts:/2', 'active', 0, 0)"));
        }
        CliRun run = CliRun.of("import", "mlflow", "--from", "sqlite:///" + mlflowDb, "--to", tmp.resolve("lb").toString());
        assertEquals(1, run.code());
        assertEquals("labbook: Experiment id 2 is 'legacy' in MLflow but 'mine' in the Labbook store: import into a store "
                + "that does not have this experiment id", run.err().strip());
    }

    @Test
    void aMigrationKilledPartWayFinishesWhenRunAgain() throws Exception {
        Path mlflowDb = MlflowFixture.generate(tmp.resolve("mlflow"), 20, 5, 2_000);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, CliRun.of("import", "mlflow", "--from", "sqlite:///" + mlflowDb,
                "--artifacts", tmp.resolve("mlflow/mlartifacts").toString(), "--to", a.toString()).code());

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.labbook.cli.Main", "db", "migrate", "--from", a.toString(), "--to", b.toString(), "--batch-rows", "200")
                .redirectErrorStream(true).start();
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.trim().startsWith("metric_points: ")) {
                    child.destroyForcibly(); // SIGKILL while the largest table is being copied
                    killed = true;
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(killed, "the migration reached metric_points");
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, child.exitValue(), "the child was killed before it finished");

        CliRun again = CliRun.of("db", "migrate", "--from", a.toString(), "--to", b.toString());
        assertEquals(0, again.code(), again.err() + again.out());
        assertTrue(again.out().contains("Migrated and verified"), again.out());
        assertTrue(again.out().matches("(?s).*20 files copied, 0 already present.*")
                || again.out().matches("(?s).*files copied, [1-9][0-9]* already present.*"), again.out());
        try (Database from = Database.open(ServerConfig.embedded("127.0.0.1", 0, a).backendStoreUri());
                Database to = Database.open(ServerConfig.embedded("127.0.0.1", 0, b).backendStoreUri())) {
            assertEquals(StoreTables.rows(from), StoreTables.rows(to), "row by row");
        }
    }
}
