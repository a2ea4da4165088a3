package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import dev.labbook.store.dashboard.RunTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's runs table: whole, and as the runs changed since a previous one. */
class RunTableQueryTest {
    @TempDir
    Path dir;

    private static RunQuery query(String experimentId, String filter) {
        return new RunQuery(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 50_000, List.of(), null);
    }

    private static List<String> names(RunTable t) {
        return t.rows().stream().map(r -> (String) r[1]).collect(Collectors.toList());
    }

    private static Object cell(RunTable t, String runName, String column) {
        int a = RunTable.ATTRIBUTES.size();
        int i = t.params().indexOf(column) >= 0 ? a + t.params().indexOf(column)
                : t.metrics().indexOf(column) >= 0 ? a + t.params().size() + t.metrics().indexOf(column)
                : a + t.params().size() + t.metrics().size() + t.tags().indexOf(column);
        return t.rows().stream().filter(r -> r[1].equals(runName)).findFirst().orElseThrow()[i];
    }

    @Test
    void tellsWhichRunsChangedSinceAPreviousTable() {
        String file = TestDatabases.uriAt(dir.resolve("t.db"));
        try (Database db = Database.open(file); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            DashboardQueries queries = new DashboardQueries(db);
            String exp = store.createExperiment("e", null, List.of());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String run = store.createRun(new NewRun(exp, "u", 1000L + i, "r" + i, List.of())).runId();
                store.logBatch(run, List.of(new Metric("loss", i, 0, 1)), List.of(new Param("p", "v" + i)), List.of());
                store.updateRun(run, RunStatus.FINISHED, 5000L, null);
                ids.add(run);
            }
            RunTable before = queries.runTable(query(exp, null));
            assertEquals(List.of("r6", "r5", "r4", "r3", "r2", "r1", "r0"), names(before));
            assertNull(before.changed());

            store.logBatch(ids.get(0), List.of(new Metric("loss", 0.5, 0, 2)), List.of(), List.of());     // a later point
            store.logBatch(ids.get(1), List.of(new Metric("loss", 9, 0, 0)), List.of(), List.of());       // an earlier one: not shown
            store.logBatch(ids.get(2), List.of(), List.of(), List.of(new RunTag("team", "nlp")));          // a user tag
            store.deleteRun(ids.get(3));
            store.updateRun(ids.get(4), RunStatus.FINISHED, 5000L, null);                                 // the same again
            store.logBatch(ids.get(5), List.of(), List.of(new Param("q", "1")), List.of());               // a param
            String added = store.createRun(new NewRun(exp, "u", 9000L, "r7", List.of())).runId();
            // another store on the same file, as another process writing the database would be
            try (Database other = Database.open(file); JdbcTrackingStore second = new JdbcTrackingStore(other)) {
                second.updateRun(ids.get(6), RunStatus.KILLED, 6000L, null);
            }

            RunTable changes = queries.runTable(query(exp, null), before.changeSeq());
            assertEquals(List.of("r7", "r6", "r5", "r2", "r0"), names(changes));
            assertEquals(Set.of(added, ids.get(0), ids.get(2), ids.get(3), ids.get(5), ids.get(6)), Set.copyOf(changes.changed()));
            assertEquals(0.5, cell(changes, "r0", "loss"));
            assertEquals("nlp", cell(changes, "r2", "team"));
            assertEquals("1", cell(changes, "r5", "q"));
            assertEquals("KILLED", changes.rows().get(1)[2]);
            assertTrue(changes.changeSeq() > before.changeSeq());

            // nothing changed since: only the run holding the number comes again
            RunTable nothing = queries.runTable(query(exp, null), changes.changeSeq());
            assertEquals(List.of("r6"), names(nothing));
            assertEquals(List.of(ids.get(6)), nothing.changed());
            assertEquals(changes.changeSeq(), nothing.changeSeq());

            // the whole table again: cached cells of unchanged runs, fresh ones of the others
            RunTable after = queries.runTable(query(exp, null));
            assertEquals(List.of("r7", "r6", "r5", "r4", "r2", "r1", "r0"), names(after));
            assertEquals(0.5, cell(after, "r0", "loss"));
            assertEquals(1.0, cell(after, "r1", "loss"));
            assertEquals("KILLED", after.rows().get(1)[2]);
            assertEquals(new TreeSet<>(List.of("p", "q")), new TreeSet<>(after.params()));
        }
    }

    @Test
    void aRunLoggingAloneKeepsItsNumberAndItsChangesAreStillSeen() {
        try (Database db = TestDatabases.openAt(dir.resolve("alone.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            DashboardQueries queries = new DashboardQueries(db);
            String exp = store.createExperiment("e", null, List.of());
            String idle = store.createRun(new NewRun(exp, "u", 1, "idle", List.of())).runId();
            String busy = store.createRun(new NewRun(exp, "u", 2, "busy", List.of())).runId();
            store.logBatch(busy, List.of(new Metric("loss", 1, 0, 1)), List.of(), List.of());
            RunTable first = queries.runTable(query(exp, null));
            for (int step = 2; step <= 4; step++) {
                store.logBatch(busy, List.of(new Metric("loss", 1.0 / step, 0, step)), List.of(), List.of());
                RunTable changes = queries.runTable(query(exp, null), first.changeSeq());
                assertEquals(first.changeSeq(), changes.changeSeq(), "the run already held the highest number");
                assertEquals(1.0 / step, cell(changes, "busy", "loss"));
                // and the whole table is not served from cells cached before the change
                assertEquals(1.0 / step, cell(queries.runTable(query(exp, null)), "busy", "loss"));
            }
            store.logBatch(idle, List.of(new Metric("loss", 7, 0, 1)), List.of(), List.of());
            store.logBatch(busy, List.of(new Metric("loss", 0.1, 0, 9)), List.of(), List.of());
            RunTable later = queries.runTable(query(exp, null), first.changeSeq());
            assertEquals(List.of("busy", "idle"), names(later));
            assertEquals(0.1, cell(queries.runTable(query(exp, null)), "busy", "loss"));
        }
    }

    @Test
    void aChangedRunThatNoLongerMatchesIsListedButNotShown() {
        try (Database db = TestDatabases.openAt(dir.resolve("f.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            DashboardQueries queries = new DashboardQueries(db);
            String exp = store.createExperiment("e", null, List.of());
            String good = store.createRun(new NewRun(exp, "u", 1, "good", List.of())).runId();
            String worse = store.createRun(new NewRun(exp, "u", 2, "worse", List.of())).runId();
            store.logBatch(good, List.of(new Metric("acc", 0.9, 0, 1)), List.of(), List.of());
            store.logBatch(worse, List.of(new Metric("acc", 0.8, 0, 1)), List.of(), List.of());
            RunTable before = queries.runTable(query(exp, "metrics.acc > 0.5"));
            assertEquals(List.of("worse", "good"), names(before));

            store.logBatch(worse, List.of(new Metric("acc", 0.1, 0, 2)), List.of(), List.of());
            RunTable changes = queries.runTable(query(exp, "metrics.acc > 0.5"), before.changeSeq());
            assertEquals(List.of(), names(changes));
            assertEquals(List.of(worse), changes.changed());
            assertEquals(List.of("good"), names(queries.runTable(query(exp, "metrics.acc > 0.5"))));
        }
    }
}
