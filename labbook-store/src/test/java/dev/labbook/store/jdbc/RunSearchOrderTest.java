package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.ViewType;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches ordered first by a metric, paged through, against an order computed here: the plan
 * that reads the metric's index (first pages) and the plan that sorts every run (later pages)
 * must agree with it and with each other, across the boundary between runs with a value for the
 * metric and runs without one (missing or NaN).
 */
class RunSearchOrderTest {
    @TempDir
    Path dir;

    Database db;
    JdbcTrackingStore store;
    String experiment;
    final List<Expected> runs = new ArrayList<>();

    /** What the test knows about a run of the searched experiment: acc null when missing. */
    record Expected(String runId, long start, Double acc, String group) {
        boolean hasAcc() {
            return acc != null && !acc.isNaN();
        }
    }

    @BeforeEach
    void seed() {
        db = TestDatabases.openAt(dir.resolve("s.db"));
        store = new JdbcTrackingStore(db);
        experiment = store.createExperiment("searched", null, List.of());
        String other = store.createExperiment("other", null, List.of());
        for (int i = 0; i < 300; i++) {
            long start = 1000 + i % 50; // many equal start times: the run id breaks those ties
            String id = store.createRun(new NewRun(experiment, "u", start, null, List.of())).runId();
            Double acc = i % 15 == 0 ? Double.valueOf(0.1 * (i % 4)) : i % 15 == 1 ? Double.valueOf(Double.NaN) : null;
            String group = i % 7 == 0 ? null : String.valueOf((char) ('a' + i % 4));
            store.logBatch(id, acc == null ? List.of() : List.of(new Metric("acc", acc, 5, 0)),
                    group == null ? List.of() : List.of(new Param("g", group)), List.of());
            runs.add(new Expected(id, start, acc, group));
            // runs of another experiment with the same metric, never part of the result
            String o = store.createRun(new NewRun(other, "u", start, null, List.of())).runId();
            store.logBatch(o, List.of(new Metric("acc", 0.99, 5, 0)), List.of(), List.of());
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Every page of the search, concatenated, as run ids. */
    List<String> pages(String filter, List<String> orderBy, int pageSize) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            Page<Run> page = store.searchRuns(new RunQuery(List.of(experiment), filter, ViewType.ACTIVE_ONLY, pageSize, orderBy, token));
            page.items().forEach(r -> ids.add(r.info().runId()));
            token = page.nextPageToken();
        } while (token != null);
        return ids;
    }

    List<String> expected(Predicate<Expected> filter, Comparator<Expected> byAccThenRest) {
        return runs.stream().filter(filter).sorted(byAccThenRest
                .thenComparing(Comparator.comparingLong(Expected::start).reversed())
                .thenComparing(Expected::runId)).map(Expected::runId).toList();
    }

    static Comparator<Expected> byAcc(boolean ascending) {
        Comparator<Double> values = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
        // runs with a number first in both directions; missing and NaN after them, as equals
        return Comparator.comparing((Expected e) -> e.hasAcc() ? e.acc() : null, Comparator.nullsLast(values));
    }

    static final Comparator<Expected> BY_GROUP = Comparator.comparing(Expected::group, Comparator.nullsLast(Comparator.naturalOrder()));

    @Test
    void theFirstPagesReadTheMetricIndex() {
        List<Long> searched = List.of(Long.parseLong(experiment));
        boolean smallPage = db.read(h -> RunSearch.metricFirstPays(h, searched, 8));
        boolean wholePage = db.read(h -> RunSearch.metricFirstPays(h, searched, 1001));
        assertTrue(smallPage, "with 7 runs a page, the first pages must take the plan under test");
        assertFalse(wholePage, "a 1000-run page of 300 runs sorts them all");
    }

    @Test
    void descendingAcrossRunsWithAndWithoutTheMetric() {
        List<String> order = List.of("metrics.acc DESC", "params.g ASC");
        List<String> want = expected(e -> true, byAcc(false).thenComparing(BY_GROUP));
        assertEquals(want, pages(null, order, 7));
        assertEquals(want, pages(null, order, 1000));
    }

    @Test
    void ascendingKeepsMissingValuesLast() {
        List<String> order = List.of("metrics.acc ASC");
        List<String> want = expected(e -> true, byAcc(true));
        assertEquals(want, pages(null, order, 7));
        assertEquals(want, pages(null, order, 1000));
    }

    @Test
    void filtersApplyToBothParts() {
        List<String> order = List.of("metrics.acc DESC", "params.g DESC");
        Comparator<Expected> groupDesc = Comparator.comparing(Expected::group, Comparator.nullsLast(Comparator.reverseOrder()));
        List<String> want = expected(e -> !"b".equals(e.group()) && e.group() != null, byAcc(false).thenComparing(groupDesc));
        assertEquals(want, pages("params.g != 'b'", order, 7));
        List<String> onlyWithAcc = expected(e -> e.hasAcc() && e.acc() >= 0.1, byAcc(false));
        assertEquals(onlyWithAcc, pages("metrics.acc >= 0.1", List.of("metrics.acc DESC"), 3));
    }
}
