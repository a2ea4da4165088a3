package dev.labbook.server;

import static dev.labbook.server.MlflowClientRunsTest.metric;
import static dev.labbook.server.MlflowClientRunsTest.param;
import static dev.labbook.server.MlflowClientRunsTest.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.RunsPage;

/**
 * Run search through the official MLflow Java client: filters, ordering, pagination and view
 * types. Twelve runs r00..r11 are logged once:
 *
 * <pre>
 *   start_time  1000 + 10 i
 *   acc         0.1 i for i <= 9; run 10 has none; run 11 has NaN
 *   val-acc     1 - 0.1 i (all runs)
 *   model       cnn (even i), rnn (odd i); run 10 has none
 *   team        vision-a (i % 3 == 0), vision-b (i % 3 == 1), nlp (i % 3 == 2)
 *   status      FINISHED (i < 6), FAILED (6..8), RUNNING (9..11)
 * </pre>
 */
class MlflowClientSearchRunsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final int RUNS = 12;
    private static String experimentId;
    private static String otherExperimentId;
    private static final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void logRuns() {
        MlflowClient client = server.client();
        experimentId = client.createExperiment("search-runs");
        for (int i = 0; i < RUNS; i++) {
            String id = client.createRun(CreateRun.newBuilder().setExperimentId(experimentId)
                    .setRunName(String.format("r%02d", i)).setStartTime(1000 + 10L * i).build()).getRunId();
            ids.add(id);
            List<Metric> metrics = new ArrayList<>();
            if (i <= 9) {
                metrics.add(metric("acc", 0.1 * i, 1, 0));
            } else if (i == 11) {
                metrics.add(metric("acc", Double.NaN, 1, 0));
            }
            metrics.add(metric("val-acc", 1 - 0.1 * i, 1, 0));
            List<Param> params = i == 10 ? List.of() : List.of(param("model", i % 2 == 0 ? "cnn" : "rnn"));
            List<RunTag> tags = List.of(tag("team", switch (i % 3) {
                case 0 -> "vision-a";
                case 1 -> "vision-b";
                default -> "nlp";
            }));
            client.logBatch(id, metrics, params, tags);
            if (i < 6) {
                client.setTerminated(id, RunStatus.FINISHED, 5000 + i);
            } else if (i < 9) {
                client.setTerminated(id, RunStatus.FAILED, 5000 + i);
            }
        }
        // A run elsewhere that matches every filter: search must stay within the experiments asked for.
        otherExperimentId = client.createExperiment("search-runs-other");
        String other = client.createRun(CreateRun.newBuilder().setExperimentId(otherExperimentId)
                .setRunName("r03").setStartTime(1030).build()).getRunId();
        client.logBatch(other, List.of(metric("acc", 0.99, 1, 0)), List.of(param("model", "cnn")),
                List.of(tag("team", "vision-a")));
    }

    private MlflowClient client() {
        return server.client();
    }

    /** The indexes (0..11) of the runs a search returns, in order. */
    private List<Integer> search(String filter, String... orderBy) {
        RunsPage page = client().searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 1000, List.of(orderBy));
        assertFalse(page.hasNextPage());
        return page.getItems().stream().map(r -> ids.indexOf(r.getInfo().getRunId())).collect(Collectors.toList());
    }

    private Set<Integer> matching(String filter) {
        List<Integer> found = search(filter);
        Set<Integer> set = new HashSet<>(found);
        assertEquals(found.size(), set.size(), "a run returned twice for " + filter);
        assertFalse(set.contains(-1), "a run of another experiment returned for " + filter);
        return set;
    }

    private static Set<Integer> where(java.util.function.IntPredicate p) {
        return IntStream.range(0, RUNS).filter(p).boxed().collect(Collectors.toSet());
    }

    @Test
    void noFilterReturnsEveryRunNewestFirst() {
        assertEquals(List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), search(null));
        assertEquals(List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), search(""));
    }

    @Test
    void searchReturnsWholeRuns() {
        Run r = client().searchRuns(List.of(experimentId), "attributes.run_name = 'r04'", ViewType.ACTIVE_ONLY, 10)
                .getItems().get(0);
        assertEquals(ids.get(4), r.getInfo().getRunId());
        assertEquals("r04", r.getInfo().getRunName());
        assertEquals(RunStatus.FINISHED, r.getInfo().getStatus());
        assertEquals(5004, r.getInfo().getEndTime());
        assertEquals("cnn", MlflowClientRunsTest.params(r).get("model"));
        assertEquals("vision-b", MlflowClientRunsTest.tags(r).get("team"));
        assertEquals(Set.of("acc", "val-acc"), r.getData().getMetricsList().stream().map(Metric::getKey).collect(Collectors.toSet()));
    }

    @Test
    void metricFilters() {
        assertEquals(Set.of(6, 7, 8, 9), matching("metrics.acc > 0.55"));
        assertEquals(Set.of(0, 1, 2), matching("metrics.acc <= 0.25"));
        assertEquals(Set.of(0, 1, 2, 3), matching("metrics.acc < 0.35"));
        assertEquals(Set.of(5, 6, 7, 8, 9), matching("metrics.acc >= 0.45"));
        assertEquals(Set.of(0), matching("metrics.acc = 0"));
        assertEquals(where(i -> i <= 9 && i != 0), matching("metrics.acc != 0"));
        assertEquals(Set.of(0, 1, 2), matching("metrics.`val-acc` > 0.75"));
        assertEquals(Set.of(0, 1, 2), matching("metrics.\"val-acc\" > 0.75"));
    }

    @Test
    void paramFilters() {
        assertEquals(where(i -> i % 2 == 0 && i != 10), matching("params.model = 'cnn'"));
        assertEquals(where(i -> i % 2 == 1), matching("params.model != 'cnn'"));
        assertEquals(where(i -> i % 2 == 1), matching("params.model = \"rnn\""));
        assertEquals(where(i -> i != 10), matching("params.model LIKE '%nn'"));
        assertEquals(Set.of(), matching("params.model LIKE 'CNN'"));
        assertEquals(where(i -> i % 2 == 0 && i != 10), matching("params.model ILIKE 'CNN'"));
        assertEquals(Set.of(), matching("params.missing = 'x'"));
    }

    @Test
    void tagFilters() {
        assertEquals(where(i -> i % 3 != 2), matching("tags.team LIKE 'vision%'"));
        assertEquals(where(i -> i % 3 == 1), matching("tags.team LIKE '%-b'"));
        assertEquals(Set.of(), matching("tags.team LIKE 'VISION%'"));
        assertEquals(where(i -> i % 3 != 2), matching("tags.team ILIKE 'VISION%'"));
        assertEquals(where(i -> i % 3 == 2), matching("tags.team = 'nlp'"));
        assertEquals(Set.of(7), matching("tags.`mlflow.runName` = 'r07'"));
    }

    @Test
    void attributeFilters() {
        assertEquals(where(i -> i < 6), matching("attributes.status = 'FINISHED'"));
        assertEquals(where(i -> i >= 6 && i < 9), matching("attributes.status = 'FAILED'"));
        assertEquals(where(i -> i < 9), matching("attributes.status != 'RUNNING'"));
        assertEquals(Set.of(3), matching("attributes.run_name = 'r03'"));
        assertEquals(Set.of(3), matching("run_name = 'r03'"));
        assertEquals(where(i -> i >= 5), matching("start_time >= 1050"));
        assertEquals(Set.of(10, 11), matching("attributes.run_name LIKE 'r1%'"));
        assertEquals(where(i -> i >= 5), matching("attributes.start_time >= 1050"));
        assertEquals(where(i -> i < 3), matching("attributes.start_time < 1030"));
        assertEquals(Set.of(4), matching("attributes.start_time = 1040"));
        assertEquals(where(i -> i < 9), matching("attributes.end_time > 0"));
        assertEquals(Set.of(3, 5), matching("attributes.run_id IN ('" + ids.get(3) + "', '" + ids.get(5) + "')"));
        assertEquals(where(i -> i != 3 && i != 5),
                matching("attributes.run_id NOT IN ('" + ids.get(3) + "', '" + ids.get(5) + "')"));
    }

    @Test
    void clausesAreAnded() {
        assertEquals(Set.of(2, 4), matching(
                "metrics.acc > 0.15 AND params.model = 'cnn' AND attributes.status = 'FINISHED'"));
        assertEquals(Set.of(6), matching("metrics.acc > 0.55 and tags.team = 'vision-a' and params.model = 'cnn'"));
        assertEquals(Set.of(), matching("params.model = 'cnn' AND params.model = 'rnn'"));
    }

    @Test
    void orderByMetricPutsMissingValuesLast() {
        List<Integer> desc = search(null, "metrics.acc DESC");
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), desc.subList(0, 10));
        assertEquals(Set.of(10, 11), new HashSet<>(desc.subList(10, 12)), "runs without a number last: " + desc);

        List<Integer> asc = search(null, "metrics.acc ASC");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), asc.subList(0, 10));
        assertEquals(Set.of(10, 11), new HashSet<>(asc.subList(10, 12)), "runs without a number last: " + asc);

        // ASC is the default direction
        assertEquals(asc, search(null, "metrics.acc"));
        assertEquals(List.of(6, 7, 8, 9), search("metrics.acc > 0.55", "metrics.`acc` ASC"));
    }

    @Test
    void orderByParamAndTag() {
        List<Integer> asc = search(null, "params.model ASC");
        assertEquals(List.of(8, 6, 4, 2, 0, 11, 9, 7, 5, 3, 1, 10), asc,
                "cnn before rnn, ties newest first, the run without the param last");
        List<Integer> desc = search(null, "params.model DESC");
        assertEquals(List.of(11, 9, 7, 5, 3, 1, 8, 6, 4, 2, 0, 10), desc);
        assertEquals(List.of(11, 8, 5, 2, 9, 6, 3, 0, 10, 7, 4, 1), search(null, "tags.team ASC"));
    }

    @Test
    void orderByAttributes() {
        assertEquals(IntStream.range(0, RUNS).boxed().collect(Collectors.toList()), search(null, "attributes.start_time ASC"));
        assertEquals(List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), search(null, "attributes.start_time DESC"));
        assertEquals(List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), search(null, "attributes.run_name DESC"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), search(null, "attributes.run_name ASC"));
    }

    @Test
    void orderBySeveralKeys() {
        assertEquals(List.of(8, 6, 4, 2, 0, 9, 7, 5, 3, 1, 11, 10), search(null, "params.model ASC", "metrics.acc DESC"));
        assertEquals(List.of(8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 10, 9), search(null, "attributes.status ASC", "attributes.start_time DESC"));
    }

    @Test
    void pageTokensVisitEveryRunExactlyOnce() {
        String exp = client().createExperiment("search-paging");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = client().createRun(CreateRun.newBuilder().setExperimentId(exp).setRunName("p" + i)
                    .setStartTime(2000 + (i % 5)).build()).getRunId(); // start times repeat: ties must page stably
            created.add(id);
            client().logMetric(id, "score", (i * 7) % 25, 1, 0);
        }

        for (List<String> orderBy : List.of(List.<String>of(), List.of("metrics.score ASC"), List.of("attributes.start_time DESC"))) {
            List<String> seen = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            int pages = 0;
            Page<Run> page = client().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 4, orderBy);
            while (true) {
                pages++;
                int n = 0;
                for (Run r : page.getItems()) {
                    n++;
                    seen.add(r.getInfo().getRunId());
                    scores.add(r.getData().getMetrics(0).getValue());
                }
                assertTrue(n <= 4, "page of " + n);
                if (!page.hasNextPage()) {
                    break;
                }
                page = page.getNextPage();
            }
            assertEquals(25, seen.size(), "order " + orderBy);
            assertEquals(new HashSet<>(created), new HashSet<>(seen), "order " + orderBy);
            assertEquals(7, pages, "order " + orderBy);
            if (!orderBy.isEmpty() && orderBy.get(0).startsWith("metrics")) {
                List<Double> sorted = new ArrayList<>(scores);
                sorted.sort(Double::compare);
                assertEquals(sorted, scores);
            }
        }

        // with a filter, through the page token by hand
        RunsPage first = client().searchRuns(List.of(exp), "metrics.score >= 10", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.score DESC"));
        assertEquals(10, first.getItems().size());
        assertTrue(first.getNextPageToken().isPresent());
        RunsPage second = client().searchRuns(List.of(exp), "metrics.score >= 10", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.score DESC"), first.getNextPageToken().get());
        assertEquals(5, second.getItems().size());
        assertFalse(second.hasNextPage());
        assertEquals(List.of(14.0, 13.0, 12.0, 11.0, 10.0),
                second.getItems().stream().map(r -> r.getData().getMetrics(0).getValue()).collect(Collectors.toList()));
    }

    @Test
    void viewTypes() {
        String exp = client().createExperiment("search-view");
        String a = client().createRun(exp).getRunId();
        String b = client().createRun(exp).getRunId();
        String c = client().createRun(exp).getRunId();
        client().deleteRun(b);

        assertEquals(Set.of(a, c), runIds(client().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 100)));
        assertEquals(Set.of(b), runIds(client().searchRuns(List.of(exp), null, ViewType.DELETED_ONLY, 100)));
        assertEquals(Set.of(a, b, c), runIds(client().searchRuns(List.of(exp), null, ViewType.ALL, 100)));
        // the deprecated list-returning overload searches active runs
        assertEquals(Set.of(a, c), client().searchRuns(List.of(exp), null).stream()
                .map(r -> r.getRunId()).collect(Collectors.toSet()));

        client().restoreRun(b);
        assertEquals(Set.of(a, b, c), runIds(client().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 100)));
        assertEquals(Set.of(), runIds(client().searchRuns(List.of(exp), null, ViewType.DELETED_ONLY, 100)));
    }

    @Test
    void severalExperimentsAtOnce() {
        RunsPage page = client().searchRuns(List.of(experimentId, otherExperimentId), "attributes.run_name = 'r03'",
                ViewType.ACTIVE_ONLY, 100);
        assertEquals(Set.of(experimentId, otherExperimentId),
                page.getItems().stream().map(r -> r.getInfo().getExperimentId()).collect(Collectors.toSet()));
        assertEquals(2, page.getItems().size());
    }

    private static Set<String> runIds(RunsPage page) {
        return page.getItems().stream().map(r -> r.getInfo().getRunId()).collect(Collectors.toSet());
    }
}
