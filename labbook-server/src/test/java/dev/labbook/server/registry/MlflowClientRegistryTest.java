package dev.labbook.server.registry;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

/**
 * Registry reads through MLflow's official Java client ({@code org.mlflow:mlflow-client}), which
 * parses every response into the protobuf messages: field names, types and enum values must match.
 * Writes go over plain HTTP, since that client cannot write to the registry.
 */
class MlflowClientRegistryTest {
    @TempDir
    Path tmp;

    private LabbookServer server;
    private RegistryHttp http;
    private MlflowClient client;

    @BeforeEach
    void start() {
        String db = tmp.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), tmp.resolve("artifacts")));
        http = new RegistryHttp("http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/");
        client = new MlflowClient("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void post(String endpoint, Object... keysAndValues) {
        RegistryHttp.Reply r = http.post(endpoint, keysAndValues);
        assertEquals(200, r.status(), r.body().toString());
    }

    /** A model with three versions of one run: 1 Archived, 2 Production, 3 Staging; alias champion on 2. */
    private RunInfo registerThreeVersions() {
        RunInfo run = client.createRun();
        post("registered-models/create", "name", "imdb", "description", "sentiment",
                "tags", List.of(Map.of("key", "team", "value", "nlp")));
        for (int i = 0; i < 3; i++) {
            post("model-versions/create", "name", "imdb", "source", "runs:/" + run.getRunId() + "/model",
                    "run_id", run.getRunId(), "tags", List.of(Map.of("key", "i", "value", Integer.toString(i + 1))));
        }
        post("model-versions/transition-stage", "name", "imdb", "version", "1", "stage", "Production", "archive_existing_versions", false);
        post("model-versions/transition-stage", "name", "imdb", "version", "2", "stage", "Production", "archive_existing_versions", true);
        post("model-versions/transition-stage", "name", "imdb", "version", "3", "stage", "staging", "archive_existing_versions", false);
        post("registered-models/alias", "name", "imdb", "alias", "champion", "version", "2");
        return run;
    }

    @Test
    void getRegisteredModel() {
        registerThreeVersions();
        RegisteredModel rm = client.getRegisteredModel("imdb");
        assertEquals("imdb", rm.getName());
        assertEquals("sentiment", rm.getDescription());
        assertTrue(rm.getCreationTimestamp() > 0);
        assertTrue(rm.getLastUpdatedTimestamp() >= rm.getCreationTimestamp());
        assertEquals("team", rm.getTags(0).getKey());
        assertEquals("nlp", rm.getTags(0).getValue());
        assertEquals(List.of("Staging:3", "Production:2", "Archived:1"),
                rm.getLatestVersionsList().stream().map(v -> v.getCurrentStage() + ":" + v.getVersion()).toList());
        assertEquals("champion", rm.getAliases(0).getAlias());
        assertEquals("2", rm.getAliases(0).getVersion());
    }

    @Test
    void getModelVersion() {
        RunInfo run = registerThreeVersions();
        ModelVersion v = client.getModelVersion("imdb", "2");
        assertEquals("imdb", v.getName());
        assertEquals("2", v.getVersion());
        assertEquals("Production", v.getCurrentStage());
        assertEquals(ModelVersionStatus.READY, v.getStatus());
        assertEquals(run.getRunId(), v.getRunId());
        assertEquals("runs:/" + run.getRunId() + "/model", v.getSource());
        assertEquals("2", v.getTags(0).getValue());
        assertEquals(List.of("champion"), v.getAliasesList());
        assertEquals("Archived", client.getModelVersion("imdb", "1").getCurrentStage());
    }

    @Test
    void getLatestVersions() {
        registerThreeVersions();
        assertEquals(List.of("3", "2", "1"), versions(client.getLatestVersions("imdb")));
        assertEquals(List.of("2"), versions(client.getLatestVersions("imdb", List.of("Production"))));
        assertEquals(List.of("3", "2"), versions(client.getLatestVersions("imdb", List.of("production", "STAGING"))));
        assertEquals(List.of(), versions(client.getLatestVersions("imdb", List.of("None"))));
    }

    @Test
    void getModelVersionDownloadUriResolvesTheRun() {
        RunInfo run = registerThreeVersions();
        assertEquals(run.getArtifactUri() + "/model", client.getModelVersionDownloadUri("imdb", "3"));
    }

    @Test
    void searchModelVersions() {
        RunInfo run = registerThreeVersions();
        post("registered-models/create", "name", "other");
        post("model-versions/create", "name", "other", "source", "s3://bucket/other");
        ModelVersionsPage byName = client.searchModelVersions("name = 'imdb'");
        assertEquals(List.of("3", "2", "1"), versions(byName.getItems()));
        assertFalse(byName.hasNextPage());
        assertEquals(List.of("imdb/3", "imdb/2", "imdb/1"),
                client.searchModelVersions("run_id = '" + run.getRunId() + "'").getItems().stream()
                        .map(v -> v.getName() + "/" + v.getVersion()).toList());
        assertEquals(4, client.searchModelVersions().getItems().size());

        ModelVersionsPage first = client.searchModelVersions("", 2, List.of("version_number ASC"));
        assertEquals(List.of("1", "1"), versions(first.getItems()));
        assertTrue(first.hasNextPage());
        ModelVersionsPage second = (ModelVersionsPage) first.getNextPage();
        assertEquals(List.of("2", "3"), versions(second.getItems()));
        assertFalse(second.hasNextPage());
    }

    @Test
    void missingModelIsA404() {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client.getRegisteredModel("nope"));
        assertEquals(404, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getBodyMessage());
        assertEquals(404, assertThrows(MlflowHttpException.class, () -> client.getModelVersion("nope", "1")).getStatusCode());
        assertEquals(404, assertThrows(MlflowHttpException.class, () -> client.getLatestVersions("nope")).getStatusCode());
        assertEquals(400, assertThrows(MlflowHttpException.class,
                () -> client.getLatestVersions("nope", List.of("Prod"))).getStatusCode());
    }

    private static List<String> versions(List<ModelVersion> versions) {
        return versions.stream().map(ModelVersion::getVersion).toList();
    }
}
