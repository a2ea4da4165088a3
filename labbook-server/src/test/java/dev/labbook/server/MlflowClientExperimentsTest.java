package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.LifecycleStage;
import dev.labbook.store.NewRun;
import dev.labbook.store.TrackingStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;

/** Experiments through the official MLflow Java client. */
class MlflowClientExperimentsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private MlflowClient client() {
        return server.client();
    }

    @Test
    void createGetAndGetByName() {
        String id = client().createExperiment("exp-basic");
        Experiment e = client().getExperiment(id);
        assertEquals(id, e.getExperimentId());
        assertEquals("exp-basic", e.getName());
        assertEquals("active", e.getLifecycleStage());
        assertFalse(e.getArtifactLocation().isEmpty(), "an experiment gets a default artifact location");
        assertTrue(e.getCreationTime() > 0);
        assertTrue(e.getLastUpdateTime() >= e.getCreationTime());

        Optional<Experiment> byName = client().getExperimentByName("exp-basic");
        assertTrue(byName.isPresent());
        assertEquals(id, byName.get().getExperimentId());

        assertEquals(Optional.empty(), client().getExperimentByName("exp-never-created"));
    }

    @Test
    void theDefaultExperimentExists() {
        Experiment e = client().getExperiment("0");
        assertEquals("Default", e.getName());
        assertEquals("active", e.getLifecycleStage());
    }

    @Test
    void theDefaultExperimentCannotBeDeleted() {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().deleteExperiment("0"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("INVALID_PARAMETER_VALUE"), e.getBodyMessage());
        assertEquals("active", client().getExperiment("0").getLifecycleStage());
    }

    @Test
    void getOfAnUnknownExperimentIs404() {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().getExperiment("987654321"));
        assertEquals(404, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getBodyMessage());
    }

    @Test
    void duplicateNameIs400ResourceAlreadyExists() {
        client().createExperiment("exp-dup");
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().createExperiment("exp-dup"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"), e.getBodyMessage());
    }

    @Test
    void nameOfADeletedExperimentIsStillTaken() {
        String id = client().createExperiment("exp-dup-deleted");
        client().deleteExperiment(id);
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().createExperiment("exp-dup-deleted"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"), e.getBodyMessage());
    }

    @Test
    void rename() {
        String id = client().createExperiment("exp-rename-before");
        client().renameExperiment(id, "exp-rename-after");
        assertEquals("exp-rename-after", client().getExperiment(id).getName());
        assertEquals(Optional.empty(), client().getExperimentByName("exp-rename-before"));
        assertEquals(id, client().getExperimentByName("exp-rename-after").orElseThrow().getExperimentId());

        client().createExperiment("exp-rename-taken");
        MlflowHttpException e = assertThrows(MlflowHttpException.class,
                () -> client().renameExperiment(id, "exp-rename-taken"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"), e.getBodyMessage());
        assertEquals("exp-rename-after", client().getExperiment(id).getName());
    }

    @Test
    void setExperimentTagAddsAndOverwrites() {
        String id = client().createExperiment("exp-tags");
        client().setExperimentTag(id, "team", "vision");
        client().setExperimentTag(id, "note", "");
        client().setExperimentTag(id, "team", "nlp");
        Map<String, String> tags = client().getExperiment(id).getTagsList().stream()
                .collect(Collectors.toMap(ExperimentTag::getKey, ExperimentTag::getValue));
        assertEquals(Map.of("team", "nlp", "note", ""), tags);
    }

    @Test
    void searchWithFilterOrderAndPageTokens() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String name = String.format("search-exp-%02d", i);
            names.add(name);
            String id = client().createExperiment(name);
            client().setExperimentTag(id, "parity", i % 2 == 0 ? "even" : "odd");
        }
        client().createExperiment("other-exp");

        // Name filter, ascending by name, 3 per page: 11 experiments in 4 pages, each exactly once.
        List<String> seen = new ArrayList<>();
        int pages = 0;
        Page<Experiment> page = client().searchExperiments("name LIKE 'search-exp-%'", ViewType.ACTIVE_ONLY, 3,
                List.of("name ASC"));
        while (true) {
            pages++;
            List<Experiment> items = new ArrayList<>();
            page.getItems().forEach(items::add);
            assertTrue(items.size() <= 3, "page larger than max_results: " + items.size());
            items.forEach(e -> seen.add(e.getName()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertEquals(names, seen);
        assertEquals(4, pages);

        // Descending order.
        ExperimentsPage desc = client().searchExperiments("name LIKE 'search-exp-%'", ViewType.ACTIVE_ONLY, 100,
                List.of("name DESC"));
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, desc.getItems().stream().map(Experiment::getName).collect(Collectors.toList()));
        assertFalse(desc.hasNextPage());

        // Tag filter combined with a name filter.
        ExperimentsPage odd = client().searchExperiments("tags.parity = 'odd' AND name LIKE 'search-exp-%'",
                ViewType.ACTIVE_ONLY, 100, List.of("name ASC"));
        assertEquals(List.of("search-exp-01", "search-exp-03", "search-exp-05", "search-exp-07", "search-exp-09"),
                odd.getItems().stream().map(Experiment::getName).collect(Collectors.toList()));

        // Exact name.
        ExperimentsPage exact = client().searchExperiments("name = 'search-exp-04'");
        assertEquals(List.of("search-exp-04"), exact.getItems().stream().map(Experiment::getName).collect(Collectors.toList()));
    }

    @Test
    void searchHonoursViewType() {
        String keep = client().createExperiment("view-exp-active");
        String gone = client().createExperiment("view-exp-deleted");
        client().deleteExperiment(gone);

        assertEquals(Set.of("view-exp-active"), names(client().searchExperiments("name LIKE 'view-exp-%'",
                ViewType.ACTIVE_ONLY, 100, List.of())));
        assertEquals(Set.of("view-exp-deleted"), names(client().searchExperiments("name LIKE 'view-exp-%'",
                ViewType.DELETED_ONLY, 100, List.of())));
        assertEquals(Set.of("view-exp-active", "view-exp-deleted"), names(client().searchExperiments(
                "name LIKE 'view-exp-%'", ViewType.ALL, 100, List.of())));
        assertNotEquals(keep, gone);
    }

    @Test
    void deleteAndRestoreBringBackOnlyTheRunsDeletedWithTheExperiment() {
        String id = client().createExperiment("exp-delete-restore");
        String a = createRun(id, "a");
        String b = createRun(id, "b");
        String early = createRun(id, "deleted-before");
        client().deleteRun(early);

        client().deleteExperiment(id);
        assertEquals("deleted", client().getExperiment(id).getLifecycleStage());
        assertEquals("deleted", client().getRun(a).getInfo().getLifecycleStage());
        assertEquals("deleted", client().getRun(b).getInfo().getLifecycleStage());
        assertEquals("deleted", client().getRun(early).getInfo().getLifecycleStage());
        assertTrue(client().searchRuns(List.of(id), null, ViewType.ACTIVE_ONLY, 100).getItems().isEmpty());

        client().restoreExperiment(id);
        assertEquals("active", client().getExperiment(id).getLifecycleStage());
        assertEquals("active", client().getRun(a).getInfo().getLifecycleStage());
        assertEquals("active", client().getRun(b).getInfo().getLifecycleStage());
        assertEquals("deleted", client().getRun(early).getInfo().getLifecycleStage(),
                "a run deleted before its experiment stays deleted when the experiment is restored");
        Set<String> active = new HashSet<>();
        client().searchRuns(List.of(id), null, ViewType.ACTIVE_ONLY, 100).getItems()
                .forEach(r -> active.add(r.getInfo().getRunId()));
        assertEquals(Set.of(a, b), active);
    }

    /**
     * A run deleted in the same millisecond as its experiment must still stay deleted when the
     * experiment is restored. HTTP round trips rarely land in one millisecond, so this drives the
     * server's own store, where they almost always do.
     */
    @Test
    void restoreNeverBringsBackARunDeletedJustBefore() {
        TrackingStore store = server.store();
        String id = store.createExperiment("exp-delete-restore-fast", null, List.of());
        for (int i = 0; i < 50; i++) {
            String keep = store.createRun(new NewRun(id, null, i, "keep-" + i, List.of())).runId();
            String early = store.createRun(new NewRun(id, null, i, "early-" + i, List.of())).runId();
            store.deleteRun(early);
            store.deleteExperiment(id);
            store.restoreExperiment(id);
            assertEquals(LifecycleStage.ACTIVE, store.getRun(keep).orElseThrow().info().lifecycleStage(), "iteration " + i);
            assertEquals(LifecycleStage.DELETED, store.getRun(early).orElseThrow().info().lifecycleStage(), "iteration " + i);
        }
        // and the same seen through the client
        assertEquals(50, client().searchRuns(List.of(id), null, ViewType.ACTIVE_ONLY, 1000).getItems().size());
        assertEquals(50, client().searchRuns(List.of(id), null, ViewType.DELETED_ONLY, 1000).getItems().size());
    }

    @Test
    void deletedExperimentRefusesNewRuns() {
        String id = client().createExperiment("exp-deleted-no-runs");
        client().deleteExperiment(id);
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> createRun(id, "x"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("INVALID_PARAMETER_VALUE"), e.getBodyMessage());
    }

    private static Set<String> names(ExperimentsPage page) {
        return page.getItems().stream().map(Experiment::getName).collect(Collectors.toSet());
    }

    private String createRun(String experimentId, String name) {
        return client().createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName(name)
                .setStartTime(System.currentTimeMillis()).build()).getRunId();
    }
}
