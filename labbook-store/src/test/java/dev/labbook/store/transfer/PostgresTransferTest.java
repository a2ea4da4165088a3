package dev.labbook.store.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.ViewType;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import dev.labbook.store.artifact.LocalArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.Dialect;
import dev.labbook.store.jdbc.JdbcModelRegistryStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.store.jdbc.PostgresUri;
import dev.labbook.store.testing.MlflowFixture;
import dev.labbook.store.testing.StoreTables;
import dev.labbook.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving data through a real PostgreSQL server (embedded): a store copied SQLite -> PostgreSQL
 * -> SQLite is equal row by row (with an interruption on the way in), the PostgreSQL copy works
 * as a store afterwards, an MLflow database imports into PostgreSQL, and an MLflow database on
 * PostgreSQL imports as the same one on SQLite does. Runs in the store's
 * PostgreSQL test execution ({@code -Dlabbook.test.db=postgresql}).
 */
@org.junit.jupiter.api.Tag("postgresql-only")
class PostgresTransferTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void onPostgresql() {
        Assumptions.assumeTrue(TestDatabases.postgresql(), "the PostgreSQL test execution runs these");
    }

    @Test
    void sqliteToPostgresqlToSqliteIsEqualRowByRow() throws Exception {
        try (Database a = Database.openSqlite(tmp.resolve("a/labbook.db"));
                Database pg = Database.open(TestDatabases.postgresqlUri());
                Database b = Database.openSqlite(tmp.resolve("b/labbook.db"))) {
            assertEquals(Dialect.POSTGRESQL, pg.dialect());
            StoreMigrationTest.fill(a, new LocalArtifactStore(tmp.resolve("a/artifacts")));
            var source = StoreMigrationTest.tables(a);

            assertThrows(StoreMigration.Interrupted.class, () -> new StoreMigration(new StoreMigration.Options(400, 2_000, s -> { }))
                    .run(a, pg, new LocalArtifactStore(tmp.resolve("a/artifacts")), new LocalArtifactStore(tmp.resolve("pg-files"))));
            StoreMigration.Result in = new StoreMigration(StoreMigration.Options.defaults(s -> { }))
                    .run(a, pg, new LocalArtifactStore(tmp.resolve("a/artifacts")), new LocalArtifactStore(tmp.resolve("pg-files")));
            StoreMigration.Result out = new StoreMigration(StoreMigration.Options.defaults(s -> { }))
                    .run(pg, b, new LocalArtifactStore(tmp.resolve("pg-files")), new LocalArtifactStore(tmp.resolve("b/artifacts")));
            assertEquals(source, StoreMigrationTest.tables(b), "SQLite -> PostgreSQL -> SQLite, row by row");
            assertEquals(in.rows(), out.rows());
            for (int i = 0; i < in.tables().size(); i++) {
                assertEquals(in.tables().get(i), new StoreMigration.TableResult(out.tables().get(i).table(),
                        out.tables().get(i).rows(), in.tables().get(i).copied(), out.tables().get(i).checksum()),
                        "the same checksum on both databases");
            }
            assertEquals(12, out.files().added("artifact files"));

            // the PostgreSQL copy is a working store: its keys and change numbers continue after the copied ones
            JdbcTrackingStore tracking = new JdbcTrackingStore(pg);
            long maxExperiment = pg.read(h -> h.createQuery("SELECT MAX(experiment_id) FROM experiments").mapTo(Long.class).one());
            String exp = tracking.createExperiment("after-copy", null, List.of());
            assertEquals(maxExperiment + 1, Long.parseLong(exp));
            String run = tracking.createRun(new NewRun(exp, "u", 1, "new", List.of())).runId();
            tracking.logBatch(run, List.of(new Metric("loss", 1, 1, 0)), List.of(), List.of());
            long newest = pg.read(h -> h.createQuery("SELECT change_seq FROM runs WHERE run_uuid = ?").bind(0, run).mapTo(Long.class).one());
            long others = pg.read(h -> h.createQuery("SELECT MAX(change_seq) FROM runs WHERE run_uuid <> ?").bind(0, run).mapTo(Long.class).one());
            assertTrue(newest > others, "a new change number comes after the copied ones");
            new JdbcModelRegistryStore(pg).createRegisteredModel("after-copy", null, List.of());
        }
    }

    @Test
    void anMlflowDatabaseImportsIntoPostgresql() throws Exception {
        Path mlflowDb = MlflowFixture.standard(tmp, true);
        String uri = TestDatabases.postgresqlUri();
        Path files = tmp.resolve("pg-artifacts");
        Tally first;
        try (Database pg = Database.open(uri)) {
            first = new MlflowImport(pg, new LocalArtifactStore(files), new MlflowImport.Options(tmp.resolve("mlartifacts"), s -> { }))
                    .run("sqlite:///" + mlflowDb).tally();
        }
        assertEquals(3, first.added("runs"));
        assertEquals(1615, first.added("metric points"));
        assertEquals(2, first.added("model versions"));
        assertTrue(Files.isRegularFile(files.resolve("1/" + MlflowFixture.R1 + "/artifacts/model/weights.bin")));
        try (JdbcTrackingStore tracking = JdbcTrackingStore.open(uri)) {
            Run r1 = tracking.getRun(MlflowFixture.R1).orElseThrow();
            assertEquals("alpha", r1.info().runName());
            assertEquals(1500, tracking.getMetricHistory(MlflowFixture.R1, "loss", 25_000, null).items().size());
            assertEquals(1, tracking.searchRuns(new RunQuery(List.of("1"), "metrics.loss < 0.5 and params.lr = '0.01'",
                    ViewType.ALL, 100, List.of(), null)).items().size());
            assertEquals("3", tracking.createExperiment("next", null, List.of()), "ids continue after the imported ones");
        }
        try (Database pg = Database.open(uri)) {
            Tally second = new MlflowImport(pg, new LocalArtifactStore(files), new MlflowImport.Options(tmp.resolve("mlartifacts"), s -> { }))
                    .run("sqlite:///" + mlflowDb).tally();
            assertEquals(0, second.totalAdded(), second.lines().toString());
            try (JdbcModelRegistryStore registry = new JdbcModelRegistryStore(pg)) {
                assertEquals("1", registry.getModelVersionByAlias("sentiment", "champion").orElseThrow().version());
            }
        }
    }

    @Test
    void anMlflowDatabaseOnPostgresqlImportsAsTheSameOnSqliteDoes() throws Exception {
        String mlflowUri = TestDatabases.emptyPostgresqlUri();
        PostgresUri pg = PostgresUri.parse(mlflowUri);
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", pg.user());
        login.setProperty("password", pg.password());
        MlflowFixture.standard(java.sql.DriverManager.getConnection(pg.jdbcUrl(), login), tmp.resolve("on-pg"), true);
        Path sqliteMlflow = MlflowFixture.standard(tmp.resolve("on-sqlite"), true);
        try (Database fromPg = Database.openSqlite(tmp.resolve("a/labbook.db"));
                Database fromSqlite = Database.openSqlite(tmp.resolve("b/labbook.db"))) {
            Tally t = new MlflowImport(fromPg, new LocalArtifactStore(tmp.resolve("a/artifacts")),
                    new MlflowImport.Options(tmp.resolve("on-pg/mlartifacts"), s -> { })).run(mlflowUri).tally();
            assertEquals(1615, t.added("metric points"));
            new MlflowImport(fromSqlite, new LocalArtifactStore(tmp.resolve("b/artifacts")),
                    new MlflowImport.Options(tmp.resolve("on-sqlite/mlartifacts"), s -> { })).run("sqlite:///" + sqliteMlflow);
            assertEquals(StoreTables.rows(fromSqlite), StoreTables.rows(fromPg));
        }
    }
}
