package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's own guarantees, on a real SQLite file. */
class JdbcTrackingStoreTest {
    @TempDir
    Path dir;

    JdbcTrackingStore store;
    String experimentId;

    @BeforeEach
    void open() {
        store = JdbcTrackingStore.open(TestDatabases.uriAt(dir.resolve("t.db")));
        experimentId = store.createExperiment("e", null, List.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    String newRun() {
        return store.createRun(new NewRun(experimentId, "u", 1000, null, List.of())).runId();
    }

    List<Metric> history(String runId, String key) {
        return store.getMetricHistory(runId, key, 25_000, null).items();
    }

    @Test
    void replayingAStoredBatchStoresNothingTwice() {
        String run = newRun();
        List<Metric> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(new Metric("loss", 1.0 / (i + 1), 10_000 + i, i));
        }
        store.logBatch(run, batch, List.of(new Param("lr", "0.1")), List.of(new RunTag("t", "1")));
        store.logBatch(run, batch, List.of(new Param("lr", "0.1")), List.of(new RunTag("t", "1")));
        assertEquals(500, history(run, "loss").size());
    }

    @Test
    void aConflictingParamRejectsTheWholeBatch() {
        String run = newRun();
        store.logParam(run, new Param("lr", "0.1"));
        LabbookException e = assertThrows(LabbookException.class, () -> store.logBatch(run,
                List.of(new Metric("acc", 0.5, 1, 0)), List.of(new Param("lr", "0.2")), List.of(new RunTag("t", "x"))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        Run stored = store.getRun(run).orElseThrow();
        assertTrue(stored.data().metrics().isEmpty());
        assertTrue(stored.data().tags().stream().noneMatch(t -> t.key().equals("t")));
        assertEquals(List.of(new Param("lr", "0.1")), stored.data().params());
    }

    @Test
    void latestValueIsTheOneWithTheHighestStepThenTimestamp() {
        String run = newRun();
        store.logBatch(run, List.of(new Metric("acc", 0.9, 5, 10), new Metric("acc", 0.1, 100, 2)), List.of(), List.of());
        store.logMetric(run, new Metric("acc", 0.7, 1, 10));
        Metric latest = store.getRun(run).orElseThrow().data().metrics().get(0);
        assertEquals(0.9, latest.value());
        assertEquals(10, latest.step());
        assertEquals(3, history(run, "acc").size());
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        String run = newRun();
        store.logBatch(run, List.of(new Metric("x", Double.NaN, 1, 0), new Metric("x", Double.POSITIVE_INFINITY, 1, 1),
                new Metric("x", Double.NEGATIVE_INFINITY, 1, 2)), List.of(), List.of());
        List<Metric> h = history(run, "x");
        assertTrue(Double.isNaN(h.get(0).value()));
        assertEquals(Double.POSITIVE_INFINITY, h.get(1).value());
        assertEquals(Double.NEGATIVE_INFINITY, h.get(2).value());
    }

    @Test
    void restoringAnExperimentBringsBackOnlyTheRunsDeletedWithIt() {
        String deletedBefore = newRun();
        String deletedWith = newRun();
        store.deleteRun(deletedBefore);
        store.deleteExperiment(experimentId);
        assertEquals(LifecycleStage.DELETED, store.getRun(deletedWith).orElseThrow().info().lifecycleStage());
        store.restoreExperiment(experimentId);
        assertEquals(LifecycleStage.ACTIVE, store.getRun(deletedWith).orElseThrow().info().lifecycleStage());
        assertEquals(LifecycleStage.DELETED, store.getRun(deletedBefore).orElseThrow().info().lifecycleStage());
    }

    @Test
    void historyPagesContinueWhereThePreviousPageEnded() {
        String run = newRun();
        List<Metric> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new Metric("m", i, i, i / 3));
        }
        store.logBatch(run, batch, List.of(), List.of());
        List<Metric> all = new ArrayList<>();
        String token = null;
        do {
            var page = store.getMetricHistory(run, "m", 70, token);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        assertEquals(batch, all);
    }

    @Test
    void searchOrdersByMetricWithMissingValuesLast() {
        String low = newRun();
        String high = newRun();
        String none = newRun();
        store.logMetric(low, new Metric("acc", 0.2, 1, 0));
        store.logMetric(high, new Metric("acc", 0.8, 1, 0));
        var page = store.searchRuns(new RunQuery(List.of(experimentId), null, ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.acc DESC"), null));
        assertEquals(List.of(high, low, none), page.items().stream().map(r -> r.info().runId()).toList());
        var filtered = store.searchRuns(new RunQuery(List.of(experimentId), "metrics.acc > 0.5", ViewType.ACTIVE_ONLY, 10,
                List.of(), null));
        assertEquals(List.of(high), filtered.items().stream().map(r -> r.info().runId()).toList());
    }

    @Test
    void renamingThroughTheRunNameTagRenamesTheRun() {
        String run = newRun();
        store.setTag(run, new RunTag("mlflow.runName", "renamed"));
        assertEquals("renamed", store.getRun(run).orElseThrow().info().runName());
        store.updateRun(run, null, null, "again");
        Run r = store.getRun(run).orElseThrow();
        assertEquals("again", r.info().runName());
        assertTrue(r.data().tags().contains(new RunTag("mlflow.runName", "again")));
    }

    @Test
    void writesToADeletedRunAreRefused() {
        String run = newRun();
        store.deleteRun(run);
        LabbookException e = assertThrows(LabbookException.class, () -> store.logMetric(run, new Metric("a", 1, 1, 1)));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
    }
}
