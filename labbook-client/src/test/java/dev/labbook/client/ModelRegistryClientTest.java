package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionStatus;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelAlias;
import dev.labbook.core.registry.RegisteredModelTag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrackingClient#registry()} against a real server: every registry endpoint, written and read back. */
class ModelRegistryClientTest {
    @TempDir
    Path tmp;
    TestServer server;
    TrackingClient client;
    ModelRegistryClient registry;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp.resolve("data"));
        client = server.client();
        registry = client.registry();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ErrorCode code(Executable call) {
        return assertThrows(LabbookException.class, call).code();
    }

    RunInfo run() {
        return client.createRun(client.getOrCreateExperiment("registry"), "train", System.currentTimeMillis(), List.of()).info();
    }

    @Test
    void registeredModelsAreCreatedReadUpdatedTaggedRenamedAndDeleted() {
        RegisteredModel created = registry.createRegisteredModel("imdb", "sentiment",
                List.of(new RegisteredModelTag("team", "nlp")));
        assertEquals("imdb", created.name());
        assertEquals("sentiment", created.description());
        assertEquals(List.of(new RegisteredModelTag("team", "nlp")), created.tags());
        assertTrue(created.creationTimestamp() > 0);
        assertEquals(created, registry.getRegisteredModel("imdb"));
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, code(() -> registry.createRegisteredModel("imdb")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.getRegisteredModel("nope")));

        assertEquals("better", registry.updateRegisteredModel("imdb", "better").description());
        assertEquals("better", registry.getRegisteredModel("imdb").description());

        registry.setRegisteredModelTag("imdb", "team", "ml");
        registry.setRegisteredModelTag("imdb", "owner", "ada");
        Map<String, String> tags = registry.getRegisteredModel("imdb").tags().stream()
                .collect(Collectors.toMap(RegisteredModelTag::key, RegisteredModelTag::value));
        assertEquals(Map.of("team", "ml", "owner", "ada"), tags);
        registry.deleteRegisteredModelTag("imdb", "team");
        assertEquals(List.of(new RegisteredModelTag("owner", "ada")), registry.getRegisteredModel("imdb").tags());

        RunInfo run = run();
        registry.createModelVersion("imdb", "runs:/" + run.runId() + "/model", run.runId());
        RegisteredModel renamed = registry.renameRegisteredModel("imdb", "imdb-sentiment");
        assertEquals("imdb-sentiment", renamed.name());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.getRegisteredModel("imdb")));
        assertEquals("imdb-sentiment", registry.getModelVersion("imdb-sentiment", "1").name(), "its versions follow");

        registry.deleteRegisteredModel("imdb-sentiment");
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.getRegisteredModel("imdb-sentiment")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.getModelVersion("imdb-sentiment", "1")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.deleteRegisteredModel("imdb-sentiment")));
    }

    @Test
    void registeredModelSearchFiltersOrdersAndPages() {
        for (String name : List.of("imdb-a", "imdb-b", "imdb-c", "imdb-d", "imdb-e", "other")) {
            registry.createRegisteredModel(name);
        }
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<RegisteredModel> page = registry.searchRegisteredModels("name LIKE 'imdb-%'", 2, List.of("name DESC"), token);
            page.items().forEach(m -> names.add(m.name()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(List.of("imdb-e", "imdb-d", "imdb-c", "imdb-b", "imdb-a"), names);
        assertEquals(3, pages);
        assertEquals(6, registry.searchRegisteredModels(null, 100, List.of(), null).items().size());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> registry.searchRegisteredModels("name ~ 'x'", 10, List.of(), null)));
    }

    @Test
    void modelVersionsAreCreatedReadUpdatedTaggedSearchedAndDeleted() {
        RunInfo run = run();
        registry.createRegisteredModel("imdb");
        ModelVersion v1 = registry.createModelVersion("imdb", "runs:/" + run.runId() + "/model", run.runId());
        assertEquals("1", v1.version());
        assertEquals(run.runId(), v1.runId());
        assertEquals(ModelStage.NONE, v1.currentStage());
        assertEquals(ModelVersionStatus.READY, v1.status());
        assertEquals(v1, registry.getModelVersion("imdb", "1"));

        ModelVersion v2 = registry.createModelVersion("imdb", "runs:/" + run.runId() + "/model", run.runId(),
                "http://elsewhere/runs/1", "second", List.of(new ModelVersionTag("data", "v2")));
        assertEquals(List.of("2", "second", "http://elsewhere/runs/1"), List.of(v2.version(), v2.description(), v2.runLink()));
        assertEquals(List.of(new ModelVersionTag("data", "v2")), v2.tags());

        assertEquals("retrained", registry.updateModelVersion("imdb", "1", "retrained").description());
        registry.setModelVersionTag("imdb", "1", "validated", "yes");
        assertEquals(List.of(new ModelVersionTag("validated", "yes")), registry.getModelVersion("imdb", "1").tags());
        registry.deleteModelVersionTag("imdb", "1", "validated");
        assertEquals(List.of(), registry.getModelVersion("imdb", "1").tags());

        assertEquals(run.artifactUri() + "/model", registry.getModelVersionDownloadUri("imdb", "1"));

        List<String> found = registry.searchModelVersions("name = 'imdb'", 100, List.of("version_number DESC"), null)
                .items().stream().map(ModelVersion::version).toList();
        assertEquals(List.of("2", "1"), found);
        assertEquals(2, registry.searchModelVersions("run_id = '" + run.runId() + "'", 100, List.of(), null).items().size());

        registry.deleteModelVersion("imdb", "2");
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> registry.getModelVersion("imdb", "2")));
        assertEquals("3", registry.createModelVersion("imdb", "s3://bucket/m", null).version(), "numbers are never reused");
        assertNull(registry.getModelVersion("imdb", "3").runId());
    }

    @Test
    void stagesLatestVersionsAndAliases() {
        registry.createRegisteredModel("imdb");
        for (int i = 0; i < 3; i++) {
            registry.createModelVersion("imdb", "s3://bucket/m" + i, null);
        }
        assertEquals(ModelStage.STAGING, registry.transitionModelVersionStage("imdb", "1", ModelStage.STAGING, false).currentStage());
        registry.transitionModelVersionStage("imdb", "2", ModelStage.PRODUCTION, false);
        ModelVersion promoted = registry.transitionModelVersionStage("imdb", "3", ModelStage.PRODUCTION, true);
        assertEquals(ModelStage.PRODUCTION, promoted.currentStage());
        assertEquals(ModelStage.ARCHIVED, registry.getModelVersion("imdb", "2").currentStage(), "archived by the promotion");
        assertEquals(ModelStage.STAGING, registry.getModelVersion("imdb", "1").currentStage(), "other stages stay");

        assertEquals(List.of("3"), registry.getLatestVersions("imdb", List.of(ModelStage.PRODUCTION)).stream()
                .map(ModelVersion::version).toList());
        Map<ModelStage, String> latest = registry.getLatestVersions("imdb", List.of()).stream()
                .collect(Collectors.toMap(ModelVersion::currentStage, ModelVersion::version));
        assertEquals(Map.of(ModelStage.STAGING, "1", ModelStage.PRODUCTION, "3", ModelStage.ARCHIVED, "2"), latest);
        assertEquals(latest.size(), registry.getRegisteredModel("imdb").latestVersions().size());

        registry.setRegisteredModelAlias("imdb", "champion", "3");
        registry.setRegisteredModelAlias("imdb", "challenger", "1");
        assertEquals("3", registry.getModelVersionByAlias("imdb", "champion").version());
        assertEquals(List.of("champion"), registry.getModelVersion("imdb", "3").aliases());
        assertEquals(List.of(new RegisteredModelAlias("challenger", "1"), new RegisteredModelAlias("champion", "3")),
                registry.getRegisteredModel("imdb").aliases());
        registry.setRegisteredModelAlias("imdb", "champion", "1");
        assertEquals(List.of("challenger", "champion"), registry.getModelVersion("imdb", "1").aliases(), "the alias moved");
        registry.deleteRegisteredModelAlias("imdb", "champion");
        // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, and so does Labbook
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> registry.getModelVersionByAlias("imdb", "champion")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> registry.setRegisteredModelAlias("imdb", "latest", "1")));
    }
}
