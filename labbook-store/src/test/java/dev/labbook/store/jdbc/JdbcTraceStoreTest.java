package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import dev.labbook.store.NewTrace;
import dev.labbook.store.TraceQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace store's own guarantees, on a real SQLite file shared with the tracking store. */
class JdbcTraceStoreTest {
    @TempDir
    Path dir;

    Database db;
    JdbcTrackingStore tracking;
    JdbcTraceStore traces;
    String experimentId;

    @BeforeEach
    void open() {
        db = TestDatabases.openAt(dir.resolve("t.db"));
        tracking = new JdbcTrackingStore(db);
        traces = new JdbcTraceStore(db);
        experimentId = tracking.createExperiment("e", null, List.of());
    }

    @AfterEach
    void close() {
        tracking.close();
        db.close();
    }

    TraceInfo log(String id, long time, TraceState state, Map<String, String> tags) {
        return traces.startTrace(new NewTrace(id, experimentId, time, 10L, state, null, null, null,
                Map.of("mlflow.trace_schema.version", "3"), tags));
    }

    List<String> search(String filter, List<String> orderBy) {
        return traces.searchTraces(new TraceQuery(List.of(experimentId), filter, orderBy, 100, null))
                .items().stream().map(TraceInfo::traceId).toList();
    }

    @Test
    void tagComparisonsOnlyMatchTracesThatHaveTheTag() {
        log("tr-a", 1, TraceState.OK, Map.of("topic", "math"));
        log("tr-b", 2, TraceState.OK, Map.of("topic", "chat"));
        log("tr-c", 3, TraceState.ERROR, Map.of());
        assertEquals(List.of("tr-b"), search("tags.topic != 'math'", List.of()));
        assertEquals(List.of("tr-c"), search("status IN ('ERROR', 'IN_PROGRESS')", List.of()));
        assertEquals(List.of("tr-b", "tr-a"), search("state NOT IN ('ERROR')", List.of()));
        assertEquals(List.of("tr-c", "tr-b", "tr-a"), search("request_metadata.`mlflow.trace_schema.version` LIKE '3%'", List.of()));
    }

    @Test
    void tracesWithoutTheSortKeyComeLastInBothDirections() {
        log("tr-a", 1, TraceState.OK, Map.of("rank", "2"));
        log("tr-b", 2, TraceState.OK, Map.of());
        log("tr-c", 3, TraceState.OK, Map.of("rank", "1"));
        assertEquals(List.of("tr-c", "tr-a", "tr-b"), search(null, List.of("tags.rank ASC")));
        assertEquals(List.of("tr-a", "tr-c", "tr-b"), search(null, List.of("tags.rank DESC")));
        assertEquals(List.of("tr-a", "tr-b", "tr-c"), search(null, List.of("timestamp ASC")));
    }

    @Test
    void pagesCoverEveryTraceOnce() {
        for (int i = 0; i < 7; i++) {
            log("tr-" + i, 100 - i / 2, TraceState.OK, Map.of());
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        do {
            var page = traces.searchTraces(new TraceQuery(List.of(experimentId), null, List.of(), 3, token));
            page.items().forEach(t -> seen.add(t.traceId()));
            token = page.nextPageToken();
        } while (token != null);
        // equal times are ordered by id
        assertEquals(List.of("tr-0", "tr-1", "tr-2", "tr-3", "tr-4", "tr-5", "tr-6"), seen);
    }

    @Test
    void deletingATraceDeletesItsTagsMetadataAndLinks() {
        String run = tracking.createRun(new dev.labbook.store.NewRun(experimentId, "u", 1, "r", List.of())).runId();
        log("tr-a", 1, TraceState.OK, Map.of("topic", "math"));
        traces.linkTracesToRun(List.of("tr-a"), run);
        assertEquals(1, traces.deleteTraces(experimentId, null, null, List.of("tr-a", "tr-unknown")));
        assertTrue(traces.getTraceInfo("tr-a").isEmpty());
        // logged anew under the same id, nothing of the old trace is left
        traces.startTrace(new NewTrace("tr-a", experimentId, 5, null, TraceState.IN_PROGRESS, null, null, null, Map.of(), Map.of()));
        TraceInfo again = traces.getTraceInfo("tr-a").orElseThrow();
        assertEquals(Map.of(), again.metadata());
        assertEquals(List.of(TraceInfo.ARTIFACT_LOCATION_TAG), List.copyOf(again.tags().keySet()));
        assertEquals(List.of(), search("run_id = '" + run + "'", List.of()));
        assertNull(again.executionDuration());
    }

    @Test
    void theArtifactLocationFollowsTheExperiments() {
        String custom = tracking.createExperiment("custom", "file:///data/exp/", List.of());
        TraceInfo t = traces.startTrace(new NewTrace("tr-x", custom, 1, 1L, TraceState.OK, null, null, null, Map.of(),
                Map.of(TraceInfo.ARTIFACT_LOCATION_TAG, "s3://elsewhere")));
        assertEquals("file:///data/exp/traces/tr-x/artifacts", t.tags().get(TraceInfo.ARTIFACT_LOCATION_TAG));
        TraceInfo assigned = traces.startTrace(new NewTrace(null, experimentId, 1, null, TraceState.IN_PROGRESS, null, null, null,
                Map.of(), Map.of()));
        assertTrue(assigned.traceId().matches("tr-[0-9a-f]{32}"), assigned.traceId());
        assertEquals("mlflow-artifacts:/" + experimentId + "/traces/" + assigned.traceId() + "/artifacts",
                assigned.tags().get(TraceInfo.ARTIFACT_LOCATION_TAG));
    }

    @Test
    void endingATraceSetsItsDurationAndMergesItsMetadata() {
        traces.startTrace(new NewTrace("tr-a", experimentId, 1_000, null, TraceState.IN_PROGRESS, null, null, null,
                Map.of("in", "1"), Map.of()));
        TraceInfo ended = traces.endTrace("tr-a", 1_750, TraceState.OK, Map.of("out", "2"), Map.of("done", "yes"));
        assertEquals(750L, ended.executionDuration());
        assertEquals(TraceState.OK, ended.state());
        assertEquals(Map.of("in", "1", "out", "2"), ended.metadata());
        assertEquals("yes", ended.tags().get("done"));
    }

    @Test
    void tracesAreRefusedInDeletedOrUnknownExperiments() {
        String gone = tracking.createExperiment("gone", null, List.of());
        tracking.deleteExperiment(gone);
        LabbookException deleted = assertThrows(LabbookException.class, () -> traces.startTrace(
                new NewTrace("tr-a", gone, 1, 1L, TraceState.OK, null, null, null, Map.of(), Map.of())));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, deleted.code());
        LabbookException unknown = assertThrows(LabbookException.class, () -> traces.startTrace(
                new NewTrace("tr-a", "9999", 1, 1L, TraceState.OK, null, null, null, Map.of(), Map.of())));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, unknown.code());
        LabbookException tag = assertThrows(LabbookException.class, () -> traces.deleteTraceTag("tr-none", "k"));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, tag.code());
    }
}
