package dev.labbook.store.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModelTag;
import dev.labbook.core.trace.TraceState;
import dev.labbook.store.NewLoggedModel;
import dev.labbook.store.NewModelVersion;
import dev.labbook.store.NewRun;
import dev.labbook.store.NewTrace;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.LocalArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcLoggedModelStore;
import dev.labbook.store.jdbc.JdbcModelRegistryStore;
import dev.labbook.store.jdbc.JdbcSweepStore;
import dev.labbook.store.jdbc.JdbcTraceStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.store.testing.StoreTables;
import dev.labbook.store.testing.TestDatabases;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db migrate}: a store with rows in every table (written through the stores' own APIs)
 * and artifact files is copied into an empty one, interrupted twice (in the middle of a table,
 * then in the middle of the files) and resumed; the copy equals the source row by row, file by
 * file. SQLite to SQLite, in the default test execution (PostgresTransferTest covers PostgreSQL).
 */
@org.junit.jupiter.api.Tag("sqlite-only")
class StoreMigrationTest {
    /** Tables a store written through today's APIs leaves empty: filled only by the V3 migration for older data. */
    private static final List<String> EMPTY_BY_DESIGN = List.of("metric_blocks_stale");

    @TempDir
    Path tmp;

    @BeforeEach
    void onSqlite() {
        Assumptions.assumeFalse(TestDatabases.postgresql(), "SQLite to SQLite: the default test execution runs these");
    }

    static void fill(Database db, ArtifactStore files) {
        JdbcTrackingStore tracking = new JdbcTrackingStore(db);
        String exp = tracking.createExperiment("migrate", null, List.of(new ExperimentTag("team", "nlp")));
        String run = tracking.createRun(new NewRun(exp, "ada", 1000L, "alpha", List.of(new RunTag("stage", "a")))).runId();
        String other = tracking.createRun(new NewRun(exp, "bob", 2000L, "beta", List.of())).runId();
        JdbcLoggedModelStore models = new JdbcLoggedModelStore(db);
        String modelId = models.createLoggedModel(new NewLoggedModel(exp, "clf", "sklearn", run,
                List.of(new LoggedModelParameter("C", "1.0")), List.of(new LoggedModelTag("k", "v")))).info().modelId();
        models.logOutputs(run, List.of(new ModelOutput(modelId, 3)));
        List<Metric> metrics = new ArrayList<>();
        for (int s = 0; s < 2500; s++) {
            metrics.add(new Metric("loss", 1.0 / (s + 1), 10_000L + s, s));
            metrics.add(new Metric("acc", s == 7 ? Double.NaN : s / 2500.0, 10_000L + s, s));
        }
        for (int from = 0; from < metrics.size(); from += 1000) {
            tracking.logBatch(run, metrics.subList(from, from + 1000), List.of(), List.of());
        }
        tracking.logBatch(run, List.of(new Metric("val", 0.5, 1, 1).withDetails("imdb", "abc", modelId, run)),
                List.of(new Param("lr", "0.01"), new Param("epochs", "3")), List.of(new RunTag("note", "é ✓ unicode")));
        tracking.logBatch(other, List.of(new Metric("loss", 2, 1, 0)), List.of(new Param("lr", "0.1")), List.of());
        tracking.logInputs(run, List.of(new DatasetInput(List.of(new InputTag("mlflow.data.context", "train")),
                new Dataset("imdb", "abc", "local", "{}", "{}", "{}"))));
        tracking.deleteRun(other);
        JdbcModelRegistryStore registry = new JdbcModelRegistryStore(db);
        registry.createRegisteredModel("sentiment", "d", List.of(new RegisteredModelTag("owner", "ada")));
        registry.createModelVersion(new NewModelVersion("sentiment", "mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model",
                run, null, null, null, List.of(new ModelVersionTag("ok", "yes")), null));
        registry.setRegisteredModelAlias("sentiment", "champion", "1");
        JdbcTraceStore traces = new JdbcTraceStore(db);
        traces.startTrace(new NewTrace("tr-1", exp, 5L, 3L, TraceState.OK, null, "q", "a", Map.of("m", "1"), Map.of("t", "2")));
        traces.linkTracesToRun(List.of("tr-1"), run);
        JdbcSweepStore sweeps = new JdbcSweepStore(db, tracking);
        String sweep = sweeps.createSweep("method: grid\nmetric: {name: loss, goal: minimize}\nparameters: {x: {values: [1, 2]}}", exp)
                .sweepId();
        Trial t = sweeps.claim(sweep, "agent").trial();
        sweeps.report(t.trialId(), "agent", 1, 0.3);
        sweeps.finishTrial(t.trialId(), "agent", TrialState.COMPLETE, 0.3);
        // access control: users, a team, grants to both on the experiment and the model, a token, a session, the audit log
        dev.labbook.store.auth.JdbcAuthStore auth = new dev.labbook.store.auth.JdbcAuthStore(db);
        auth.createUser("ada", "hash-a", true);
        long bob = auth.createUser("bob", "hash-b", false).id();
        auth.createTeam("nlp");
        auth.addMember("nlp", "bob");
        auth.createGrant(dev.labbook.store.auth.Grant.Resource.EXPERIMENT, exp, "bob", null, dev.labbook.store.auth.Permission.READ);
        auth.createGrant(dev.labbook.store.auth.Grant.Resource.EXPERIMENT, exp, null, "nlp", dev.labbook.store.auth.Permission.EDIT);
        auth.createGrant(dev.labbook.store.auth.Grant.Resource.REGISTERED_MODEL, "sentiment", "bob", null, dev.labbook.store.auth.Permission.MANAGE);
        auth.createGrant(dev.labbook.store.auth.Grant.Resource.REGISTERED_MODEL, "sentiment", null, "nlp", dev.labbook.store.auth.Permission.READ);
        auth.createToken("tok1", bob, "laptop", "secret-hash", true, null);
        auth.createSession("session-hash", bob, "csrf", 9_999_999_999_999L);
        auth.audit("ada", "grant", "experiment " + exp, "bob READ");
        for (int i = 0; i < 12; i++) {
            files.put(exp + "/" + run + "/artifacts/f" + i + ".txt",
                    new ByteArrayInputStream(("file " + i).repeat(i * 100 + 1).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aStoreIsCopiedWholeAndEqualAfterTwoInterruptions() throws Exception {
        Path fromFiles = tmp.resolve("from/artifacts");
        Path toFiles = tmp.resolve("to/artifacts");
        try (Database from = Database.openSqlite(tmp.resolve("from/labbook.db"));
                Database to = Database.openSqlite(tmp.resolve("to/labbook.db"))) {
            fill(from, new LocalArtifactStore(fromFiles));
            Map<String, List<List<Object>>> source = tables(from);
            for (var e : source.entrySet()) {
                assertTrue(EMPTY_BY_DESIGN.contains(e.getKey()) || !e.getValue().isEmpty(), "the fixture fills " + e.getKey());
            }
            long rows = source.values().stream().mapToLong(List::size).sum();

            List<String> log = new ArrayList<>();
            StoreMigration.Options firstStop = new StoreMigration.Options(500, 1_500, log::add);
            assertThrows(StoreMigration.Interrupted.class, () -> new StoreMigration(firstStop)
                    .run(from, to, new LocalArtifactStore(fromFiles), new LocalArtifactStore(toFiles)));
            long partial = tables(to).values().stream().mapToLong(List::size).sum();
            assertEquals(1_500, partial, "batches are committed one by one");

            // the second run continues where the first stopped, copies the remaining rows and one file
            StoreMigration.Options secondStop = new StoreMigration.Options(500, rows - 1_500 + 1, log::add);
            assertThrows(StoreMigration.Interrupted.class, () -> new StoreMigration(secondStop)
                    .run(from, to, new LocalArtifactStore(fromFiles), new LocalArtifactStore(toFiles)));
            assertEquals(1, fileCount(toFiles), "resumed exactly: all rows, then one file");

            StoreMigration.Result done = new StoreMigration(StoreMigration.Options.defaults(log::add))
                    .run(from, to, new LocalArtifactStore(fromFiles), new LocalArtifactStore(toFiles));
            assertEquals(source, tables(to), "row by row");
            assertEquals(rows, done.rows());
            assertEquals(11, done.files().added(ArtifactCopy.KIND));
            assertEquals(1, done.files().present(ArtifactCopy.KIND));
            assertEquals(12, fileCount(toFiles));
            try (Stream<Path> walk = Files.walk(fromFiles)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    assertEquals(Files.readString(f), Files.readString(toFiles.resolve(fromFiles.relativize(f))));
                }
            }

            // once more: nothing to copy, still verified
            StoreMigration.Result again = new StoreMigration(StoreMigration.Options.defaults(log::add))
                    .run(from, to, new LocalArtifactStore(fromFiles), new LocalArtifactStore(toFiles));
            assertEquals(0, again.rowsCopied());
            assertEquals(0, again.files().added(ArtifactCopy.KIND));
            assertEquals(source, tables(to));
        }
    }

    @Test
    void aTargetWithOtherDataIsRefused() throws Exception {
        try (Database from = Database.openSqlite(tmp.resolve("a.db")); Database to = Database.openSqlite(tmp.resolve("b.db"))) {
            fill(from, new LocalArtifactStore(tmp.resolve("a-files")));
            new JdbcTrackingStore(to).createExperiment("a", null, List.of());
            new JdbcTrackingStore(to).createExperiment("b", null, List.of());
            new JdbcTrackingStore(to).createExperiment("c", null, List.of());
            Exception e = assertThrows(RuntimeException.class, () -> new StoreMigration(StoreMigration.Options.defaults(s -> { }))
                    .run(from, to, null, null));
            assertTrue(e.getMessage().contains("experiments"), e.getMessage());
        }
    }

    private static long fileCount(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    static Map<String, List<List<Object>>> tables(Database db) {
        return StoreTables.rows(db);
    }
}
