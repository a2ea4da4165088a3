package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.labbook.store.NewModelVersion;
import dev.labbook.store.NewRun;
import dev.labbook.store.RegistryQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The registry store on a real SQLite file. */
class JdbcModelRegistryStoreTest {
    @TempDir
    Path tmp;

    private Database db;
    private JdbcModelRegistryStore store;

    @BeforeEach
    void open() {
        db = TestDatabases.openAt(tmp.resolve("registry.db"));
        store = new JdbcModelRegistryStore(db);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private ModelVersion version(String name, String source) {
        return store.createModelVersion(new NewModelVersion(name, source, null, null, null, null, List.of()));
    }

    private static ErrorCode code(Executable call) {
        return assertThrows(LabbookException.class, call).code();
    }

    @Test
    void createsAndGetsARegisteredModel() {
        RegisteredModel created = store.createRegisteredModel("imdb", "sentiment",
                List.of(new RegisteredModelTag("team", "nlp")));
        assertEquals("imdb", created.name());
        assertEquals("sentiment", created.description());
        assertEquals(created.creationTimestamp(), created.lastUpdatedTimestamp());
        assertEquals(List.of(new RegisteredModelTag("team", "nlp")), created.tags());
        assertTrue(created.latestVersions().isEmpty());
        assertEquals(created, store.getRegisteredModel("imdb").orElseThrow());
        assertTrue(store.getRegisteredModel("nope").isEmpty());
    }

    @Test
    void refusesDuplicateAndEmptyNames() {
        store.createRegisteredModel("imdb", null, List.of());
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, code(() -> store.createRegisteredModel("imdb", null, List.of())));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.createRegisteredModel("", null, List.of())));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.createRegisteredModel(" ", null, List.of())));
    }

    @Test
    void numbersVersionsPerModelAndNeverReusesANumber() {
        store.createRegisteredModel("a", null, List.of());
        store.createRegisteredModel("b", null, List.of());
        assertEquals("1", version("a", "s3://x/1").version());
        assertEquals("2", version("a", "s3://x/2").version());
        assertEquals("1", version("b", "s3://y/1").version());
        store.deleteModelVersion("a", "2");
        assertEquals("3", version("a", "s3://x/3").version());
        ModelVersion v = store.getModelVersion("a", "3").orElseThrow();
        assertEquals(ModelStage.NONE, v.currentStage());
        assertEquals(ModelVersionStatus.READY, v.status());
        assertEquals("s3://x/3", v.source());
        assertTrue(store.getModelVersion("a", "2").isEmpty());
        assertTrue(store.getModelVersion("missing", "1").isEmpty());
    }

    @Test
    void versionOfAMissingModelIsNotFoundAndBadVersionsAreInvalid() {
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> version("missing", "s3://x")));
        store.createRegisteredModel("m", null, List.of());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> version("m", "")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.getModelVersion("m", "one")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.updateModelVersion("m", "7", "x")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.deleteModelVersion("m", "7")));
    }

    @Test
    void createdVersionKeepsRunTagsAndMarksTheModelUpdated() throws InterruptedException {
        RegisteredModel m = store.createRegisteredModel("m", null, List.of());
        Thread.sleep(5);
        ModelVersion v = store.createModelVersion(new NewModelVersion("m", "runs:/abc/model", "abc", "http://other/run",
                "first", "alice", List.of(new ModelVersionTag("k", "v"))));
        assertEquals("abc", v.runId());
        assertEquals("http://other/run", v.runLink());
        assertEquals("first", v.description());
        assertEquals("alice", v.userId());
        assertEquals(List.of(new ModelVersionTag("k", "v")), v.tags());
        assertTrue(store.getRegisteredModel("m").orElseThrow().lastUpdatedTimestamp() > m.lastUpdatedTimestamp());
    }

    @Test
    void renameMovesVersionsTagsAndAliases() {
        store.createRegisteredModel("old", null, List.of(new RegisteredModelTag("t", "1")));
        version("old", "s3://x");
        store.setRegisteredModelAlias("old", "champion", "1");
        RegisteredModel renamed = store.renameRegisteredModel("old", "new");
        assertEquals("new", renamed.name());
        assertTrue(store.getRegisteredModel("old").isEmpty());
        ModelVersion v = store.getModelVersion("new", "1").orElseThrow();
        assertEquals("new", v.name());
        assertEquals(List.of("champion"), v.aliases());
        assertEquals(List.of(new RegisteredModelTag("t", "1")), renamed.tags());
        assertEquals("new", renamed.latestVersions().get(0).name());

        store.createRegisteredModel("other", null, List.of());
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, code(() -> store.renameRegisteredModel("new", "other")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.renameRegisteredModel("gone", "x")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.renameRegisteredModel("new", "")));
    }

    @Test
    void updatesDescriptions() {
        store.createRegisteredModel("m", "before", List.of());
        version("m", "s3://x");
        assertEquals("after", store.updateRegisteredModel("m", "after").description());
        assertEquals("v-desc", store.updateModelVersion("m", "1", "v-desc").description());
        assertNull(store.updateRegisteredModel("m", null).description());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.updateRegisteredModel("gone", "x")));
    }

    @Test
    void deleteCascadesToVersionsTagsAndAliases() {
        store.createRegisteredModel("m", null, List.of(new RegisteredModelTag("t", "1")));
        version("m", "s3://x");
        store.setModelVersionTag("m", "1", new ModelVersionTag("k", "v"));
        store.setRegisteredModelAlias("m", "prod", "1");
        store.deleteRegisteredModel("m");
        assertTrue(store.getRegisteredModel("m").isEmpty());
        assertTrue(store.searchModelVersions(query("name = 'm'")).items().isEmpty());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.deleteRegisteredModel("m")));
        // the name is free again and starts over at version 1, with nothing left behind
        store.createRegisteredModel("m", null, List.of());
        ModelVersion v = version("m", "s3://y");
        assertEquals("1", v.version());
        assertTrue(v.tags().isEmpty());
        assertTrue(v.aliases().isEmpty());
        for (String table : List.of("registered_model_tags", "model_version_tags", "registered_model_aliases")) {
            assertEquals(0, (int) db.read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one()), table);
        }
    }

    @Test
    void setsOverwritesAndDeletesTags() {
        store.createRegisteredModel("m", null, List.of());
        version("m", "s3://x");
        store.setRegisteredModelTag("m", new RegisteredModelTag("k", "1"));
        store.setRegisteredModelTag("m", new RegisteredModelTag("k", "2"));
        store.setRegisteredModelTag("m", new RegisteredModelTag("a", ""));
        assertEquals(List.of(new RegisteredModelTag("a", ""), new RegisteredModelTag("k", "2")),
                store.getRegisteredModel("m").orElseThrow().tags());
        store.deleteRegisteredModelTag("m", "k");
        store.deleteRegisteredModelTag("m", "never-set");
        assertEquals(List.of(new RegisteredModelTag("a", "")), store.getRegisteredModel("m").orElseThrow().tags());

        store.setModelVersionTag("m", "1", new ModelVersionTag("k", "1"));
        store.setModelVersionTag("m", "1", new ModelVersionTag("k", "2"));
        assertEquals(List.of(new ModelVersionTag("k", "2")), store.getModelVersion("m", "1").orElseThrow().tags());
        store.deleteModelVersionTag("m", "1", "k");
        assertTrue(store.getModelVersion("m", "1").orElseThrow().tags().isEmpty());

        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.setRegisteredModelTag("gone", new RegisteredModelTag("k", "v"))));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.setModelVersionTag("m", "9", new ModelVersionTag("k", "v"))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.setRegisteredModelTag("m", new RegisteredModelTag("", "v"))));
    }

    @Test
    void transitionsStagesAndArchivesExistingVersions() {
        store.createRegisteredModel("m", null, List.of());
        for (int i = 0; i < 3; i++) {
            version("m", "s3://x/" + i);
        }
        store.transitionModelVersionStage("m", "1", ModelStage.PRODUCTION, false);
        store.transitionModelVersionStage("m", "2", ModelStage.PRODUCTION, false);
        ModelVersion v3 = store.transitionModelVersionStage("m", "3", ModelStage.PRODUCTION, true);
        assertEquals(ModelStage.PRODUCTION, v3.currentStage());
        assertEquals(ModelStage.ARCHIVED, store.getModelVersion("m", "1").orElseThrow().currentStage());
        assertEquals(ModelStage.ARCHIVED, store.getModelVersion("m", "2").orElseThrow().currentStage());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                code(() -> store.transitionModelVersionStage("m", "1", ModelStage.ARCHIVED, true)));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                code(() -> store.transitionModelVersionStage("m", "9", ModelStage.STAGING, false)));
    }

    @Test
    void latestVersionsArePerStageHighestInStageOrder() {
        store.createRegisteredModel("m", null, List.of());
        for (int i = 0; i < 5; i++) {
            version("m", "s3://x/" + i);
        }
        store.transitionModelVersionStage("m", "1", ModelStage.PRODUCTION, false);
        store.transitionModelVersionStage("m", "2", ModelStage.PRODUCTION, false);
        store.transitionModelVersionStage("m", "3", ModelStage.STAGING, false);
        // 4 and 5 stay in None
        assertEquals(List.of("None:5", "Staging:3", "Production:2"), describe(store.getLatestVersions("m", List.of())));
        assertEquals(List.of("Staging:3", "Production:2"),
                describe(store.getLatestVersions("m", List.of(ModelStage.PRODUCTION, ModelStage.STAGING))));
        assertEquals(List.of(), describe(store.getLatestVersions("m", List.of(ModelStage.ARCHIVED))));
        assertEquals(List.of("None:5", "Staging:3", "Production:2"),
                describe(store.getRegisteredModel("m").orElseThrow().latestVersions()));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.getLatestVersions("gone", List.of())));
    }

    private static List<String> describe(List<ModelVersion> versions) {
        return versions.stream().map(v -> v.currentStage() + ":" + v.version()).toList();
    }

    @Test
    void aliasesPointMoveAndDisappearWithTheirVersion() {
        store.createRegisteredModel("m", null, List.of());
        version("m", "s3://x/1");
        version("m", "s3://x/2");
        store.setRegisteredModelAlias("m", "champion", "1");
        store.setRegisteredModelAlias("m", "challenger", "2");
        assertEquals("1", store.getModelVersionByAlias("m", "champion").orElseThrow().version());
        store.setRegisteredModelAlias("m", "champion", "2");
        ModelVersion v2 = store.getModelVersionByAlias("m", "champion").orElseThrow();
        assertEquals("2", v2.version());
        assertEquals(List.of("challenger", "champion"), v2.aliases());
        assertTrue(store.getModelVersion("m", "1").orElseThrow().aliases().isEmpty());
        assertEquals(List.of(new RegisteredModelAlias("challenger", "2"), new RegisteredModelAlias("champion", "2")),
                store.getRegisteredModel("m").orElseThrow().aliases());

        store.deleteRegisteredModelAlias("m", "challenger");
        store.deleteRegisteredModelAlias("m", "never-set");
        assertTrue(store.getModelVersionByAlias("m", "challenger").isEmpty());
        store.deleteModelVersion("m", "2");
        assertTrue(store.getModelVersionByAlias("m", "champion").isEmpty());
        assertTrue(store.getRegisteredModel("m").orElseThrow().aliases().isEmpty());
        assertTrue(store.getModelVersionByAlias("gone", "champion").isEmpty());
    }

    @Test
    void refusesAliasesOfMissingVersionsAndReservedNames() {
        store.createRegisteredModel("m", null, List.of());
        version("m", "s3://x/1");
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.setRegisteredModelAlias("m", "a", "5")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.setRegisteredModelAlias("gone", "a", "1")));
        for (String bad : List.of("latest", "LATEST", "v1", "V12", "a b", "", "x/y")) {
            assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.setRegisteredModelAlias("m", bad, "1")), bad);
        }
        store.setRegisteredModelAlias("m", "v1-candidate", "1");
    }

    @Test
    void downloadUriResolvesRunsUrisOfKnownRuns() {
        JdbcTrackingStore tracking = new JdbcTrackingStore(db);
        RunInfo run = tracking.createRun(new NewRun("0", "u", 1L, "r", List.of()));
        store.createRegisteredModel("m", null, List.of());
        version("m", "runs:/" + run.runId() + "/model");
        version("m", "runs:/" + run.runId());
        version("m", "runs:/0123456789abcdef/model");
        version("m", "s3://bucket/model");
        assertEquals(run.artifactUri() + "/model", store.getModelVersionDownloadUri("m", "1"));
        assertEquals(run.artifactUri(), store.getModelVersionDownloadUri("m", "2"));
        assertEquals("runs:/0123456789abcdef/model", store.getModelVersionDownloadUri("m", "3"));
        assertEquals("s3://bucket/model", store.getModelVersionDownloadUri("m", "4"));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, code(() -> store.getModelVersionDownloadUri("m", "5")));
    }

    private static RegistryQuery query(String filter, String... orderBy) {
        return new RegistryQuery(filter, 100, List.of(orderBy), null);
    }

    @Test
    void searchesRegisteredModelsByNameAndTags() {
        // distinct creation times, so that the creation_timestamp order below has no ties
        store.createRegisteredModel("imdb-linear", null, List.of(new RegisteredModelTag("kind", "linear")));
        awaitNextMillisecond(System.currentTimeMillis());
        store.createRegisteredModel("imdb-NN", null, List.of(new RegisteredModelTag("kind", "neural")));
        awaitNextMillisecond(System.currentTimeMillis());
        store.createRegisteredModel("uci", null, List.of());
        Function<RegistryQuery, List<String>> names =
                q -> store.searchRegisteredModels(q).items().stream().map(RegisteredModel::name).toList();
        assertEquals(List.of("imdb-NN", "imdb-linear", "uci"), names.apply(query(null)));
        assertEquals(List.of("uci"), names.apply(query("name = 'uci'")));
        assertEquals(List.of("imdb-NN", "imdb-linear"), names.apply(query("name != 'uci'")));
        assertEquals(List.of("imdb-NN", "imdb-linear"), names.apply(query("name LIKE 'imdb-%'")));
        assertEquals(List.of(), names.apply(query("name LIKE 'IMDB-%'")));
        assertEquals(List.of("imdb-NN", "imdb-linear"), names.apply(query("name ILIKE 'IMDB-%'")));
        assertEquals(List.of("imdb-NN"), names.apply(query("tags.kind = 'neural'")));
        assertEquals(List.of("imdb-linear"), names.apply(query("name LIKE 'imdb%' AND tags.kind LIKE 'lin%'")));
        assertEquals(List.of("uci", "imdb-linear", "imdb-NN"), names.apply(query(null, "name DESC")));
        assertEquals(List.of("uci", "imdb-NN", "imdb-linear"), names.apply(query(null, "creation_timestamp DESC")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.searchRegisteredModels(query("run_id = 'x'"))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.searchRegisteredModels(query(null, "source"))));
    }

    @Test
    void pagesThroughRegisteredModels() {
        for (int i = 0; i < 7; i++) {
            store.createRegisteredModel("m" + i, null, List.of());
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<RegisteredModel> page = store.searchRegisteredModels(new RegistryQuery(null, 3, List.of(), token));
            page.items().forEach(m -> seen.add(m.name()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"), seen);
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                code(() -> store.searchRegisteredModels(new RegistryQuery(null, 3, List.of(), "garbage!"))));
    }

    @Test
    void searchesModelVersions() {
        store.createRegisteredModel("a", null, List.of());
        store.createRegisteredModel("b", null, List.of());
        store.createModelVersion(new NewModelVersion("a", "runs:/r1/model", "r1", null, null, null,
                List.of(new ModelVersionTag("validated", "yes"))));
        store.createModelVersion(new NewModelVersion("a", "runs:/r2/model", "r2", null, null, null, List.of()));
        store.createModelVersion(new NewModelVersion("b", "s3://bucket/b", "r1", null, null, null, List.of()));
        // by name, then newest version first (the default puts the latest change first: see below)
        Function<String, List<String>> ids = filter -> store.searchModelVersions(query(filter, "name ASC")).items().stream()
                .map(v -> v.name() + "/" + v.version()).toList();
        assertEquals(List.of("a/2", "a/1", "b/1"), ids.apply(null));
        assertEquals(List.of("a/2", "a/1"), ids.apply("name = 'a'"));
        assertEquals(List.of("a/1", "b/1"), ids.apply("run_id = 'r1'"));
        assertEquals(List.of("a/2", "a/1", "b/1"), ids.apply("run_id IN ('r1', 'r2')"));
        assertEquals(List.of("a/2"), ids.apply("run_id NOT IN ('r1')"));
        assertEquals(List.of("a/2", "a/1"), ids.apply("source_path LIKE 'runs:/%'"));
        assertEquals(List.of("a/2"), ids.apply("name = 'a' AND version_number > 1"));
        assertEquals(List.of("a/1"), ids.apply("tags.validated = 'yes'"));
        assertEquals(List.of("a/1", "b/1", "a/2"),
                store.searchModelVersions(query(null, "version_number ASC", "name ASC")).items().stream()
                        .map(v -> v.name() + "/" + v.version()).toList());
        Page<ModelVersion> first = store.searchModelVersions(new RegistryQuery(null, 2, List.of("name ASC"), null));
        assertEquals(2, first.items().size());
        Page<ModelVersion> second = store.searchModelVersions(new RegistryQuery(null, 2, List.of("name ASC"), first.nextPageToken()));
        assertEquals(List.of("b/1"), second.items().stream().map(v -> v.name() + "/" + v.version()).toList());
        assertNull(second.nextPageToken());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, code(() -> store.searchModelVersions(query("metrics.acc > 1"))));
    }

    /**
     * MLflow 2.21+ and 3.x clients add {@code tag.`mlflow.prompt.is_prompt` != 'true'} to every
     * registry search: models and versions without the tag match it (MLflow leaves only prompts
     * out), and prompts are found only by asking for them.
     */
    @Test
    void promptsAreLeftOutUnlessAskedFor() {
        store.createRegisteredModel("plain", null, List.of(new RegisteredModelTag("team", "nlp")));
        store.createRegisteredModel("not-a-prompt", null, List.of(new RegisteredModelTag("mlflow.prompt.is_prompt", "false")));
        store.createRegisteredModel("prompt", null, List.of(new RegisteredModelTag("mlflow.prompt.is_prompt", "true")));
        store.createModelVersion(new NewModelVersion("plain", "s3://x/p", null, null, null, null, List.of()));
        store.createModelVersion(new NewModelVersion("prompt", "dummy-source", null, null, null, null,
                List.of(new ModelVersionTag("mlflow.prompt.is_prompt", "true"))));
        Function<String, List<String>> models = filter -> store.searchRegisteredModels(query(filter)).items().stream()
                .map(RegisteredModel::name).toList();
        Function<String, List<String>> versions = filter -> store.searchModelVersions(query(filter)).items().stream()
                .map(v -> v.name() + "/" + v.version()).toList();
        String notPrompt = "tag.`mlflow.prompt.is_prompt` != 'true'";
        assertEquals(List.of("not-a-prompt", "plain"), models.apply(notPrompt));
        assertEquals(List.of("not-a-prompt", "plain"), models.apply(null));
        assertEquals(List.of("plain"), models.apply(notPrompt + " AND tags.team = 'nlp'"));
        assertEquals(List.of("plain"), models.apply("name = 'plain' AND " + notPrompt));
        assertEquals(List.of("prompt"), models.apply("tags.`mlflow.prompt.is_prompt` = 'true'"));
        assertEquals(List.of("prompt"), models.apply("tags.`mlflow.prompt.is_prompt` != 'false'"));
        assertEquals(List.of("plain/1"), versions.apply(notPrompt));
        assertEquals(List.of("plain/1"), versions.apply(null));
        assertEquals(List.of("prompt/1"), versions.apply("tag.`mlflow.prompt.is_prompt` = 'true'"));
        // other tags keep MLflow's rule: a != clause needs the tag to be there
        assertEquals(List.of(), models.apply("tags.team != 'cv' AND name = 'not-a-prompt'"));
    }

    /** MLflow's default order of model-versions/search: last_updated_timestamp DESC, name ASC, version DESC. */
    @Test
    void modelVersionsAreListedLatestChangeFirstByDefault() {
        store.createRegisteredModel("a", null, List.of());
        store.createRegisteredModel("b", null, List.of());
        store.createModelVersion(new NewModelVersion("b", "s3://x/b1", null, null, null, null, List.of()));
        store.createModelVersion(new NewModelVersion("a", "s3://x/a1", null, null, null, null, List.of()));
        store.createModelVersion(new NewModelVersion("a", "s3://x/a2", null, null, null, null, List.of()));
        Function<List<String>, List<String>> ids = order -> store.searchModelVersions(new RegistryQuery(null, 100, order, null))
                .items().stream().map(v -> v.name() + "/" + v.version()).toList();
        // all three may share one millisecond: ties go by name, then newest version
        awaitNextMillisecond(store.getModelVersion("a", "2").orElseThrow().lastUpdatedTimestamp());
        store.updateModelVersion("b", "1", "touched last");
        assertEquals(List.of("b/1", "a/2", "a/1"), ids.apply(List.of()));
        assertEquals(List.of("a/2", "a/1", "b/1"), ids.apply(List.of("name ASC")));
    }

    /** Returns once the clock has passed {@code millis}, so the next write gets a later timestamp. */
    private static void awaitNextMillisecond(long millis) {
        while (System.currentTimeMillis() <= millis) {
            Thread.onSpinWait();
        }
    }

    @Test
    void searchResultsCarryTagsAndAliasesOfLargePages() {
        store.createRegisteredModel("m", null, List.of());
        // more versions than one tag query takes, written in one transaction to keep the test fast
        db.write(h -> {
            long pk = RegisteredModelDao.require(h, "m").pk();
            for (int i = 1; i <= 1205; i++) {
                long v = RegisteredModelDao.nextVersion(h, pk, i);
                ModelVersionDao.insert(h, pk, v, new NewModelVersion("m", "s3://x/" + i, null, null, null, null, List.of()), i);
                ModelVersionDao.setTag(h, pk, v, new ModelVersionTag("n", Long.toString(v)));
            }
            return null;
        });
        store.setRegisteredModelAlias("m", "first", "1");
        List<ModelVersion> all = store.searchModelVersions(new RegistryQuery("name = 'm'", 2000, List.of(), null)).items();
        assertEquals(1205, all.size());
        for (ModelVersion v : all) {
            assertEquals(List.of(new ModelVersionTag("n", v.version())), v.tags());
            assertEquals(v.version().equals("1") ? List.of("first") : List.of(), v.aliases());
        }
        assertFalse(all.get(0).version().equals("1"));
    }
}
