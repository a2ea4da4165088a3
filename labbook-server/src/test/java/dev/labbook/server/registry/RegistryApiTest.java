package dev.labbook.server.registry;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.registry.RegistryHttp.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry endpoints over real HTTP, written and read with plain JSON requests. */
class RegistryApiTest {
    @TempDir
    Path tmp;

    private LabbookServer server;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        String db = tmp.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), tmp.resolve("artifacts")));
        http = new RegistryHttp("http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode ok(Reply r) {
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    private void createModel(String name) {
        ok(http.post("registered-models/create", "name", name));
    }

    private void createVersion(String name, String source) {
        ok(http.post("model-versions/create", "name", name, "source", source));
    }

    @Test
    void createReturnsTheRegisteredModel() {
        JsonNode rm = ok(http.post("registered-models/create", "name", "imdb", "description", "sentiment",
                "tags", List.of(Map.of("key", "team", "value", "nlp")))).get("registered_model");
        assertEquals("imdb", rm.get("name").asText());
        assertEquals("sentiment", rm.get("description").asText());
        assertTrue(rm.get("creation_timestamp").asLong() > 0);
        assertEquals(rm.get("creation_timestamp"), rm.get("last_updated_timestamp"));
        assertEquals("nlp", rm.at("/tags/0/value").asText());
        assertFalse(rm.has("user_id"), "nulls are left out");
        JsonNode got = ok(http.get("registered-models/get", "name", "imdb")).get("registered_model");
        assertEquals(rm, got);
    }

    @Test
    void renameUpdateTagAndDeleteAModel() {
        createModel("old");
        createVersion("old", "s3://b/m");
        JsonNode renamed = ok(http.post("registered-models/rename", "name", "old", "new_name", "new")).get("registered_model");
        assertEquals("new", renamed.get("name").asText());
        assertEquals("new", renamed.at("/latest_versions/0/name").asText());
        assertEquals("new", ok(http.get("model-versions/get", "name", "new", "version", "1")).at("/model_version/name").asText());

        JsonNode updated = ok(http.send("PATCH", "registered-models/update", "name", "new", "description", "d"));
        assertEquals("d", updated.at("/registered_model/description").asText());

        ok(http.post("registered-models/set-tag", "name", "new", "key", "k", "value", "v"));
        assertEquals("v", ok(http.get("registered-models/get", "name", "new")).at("/registered_model/tags/0/value").asText());
        ok(http.send("DELETE", "registered-models/delete-tag", "name", "new", "key", "k"));
        assertTrue(ok(http.get("registered-models/get", "name", "new")).at("/registered_model/tags").isEmpty());

        // DELETE with the parameters in the query string instead of a JSON body
        assertEquals(Map.of(), Map.copyOf(asMap(ok(http.query("DELETE", "registered-models/delete", "name", "new")))));
        Reply gone = http.get("registered-models/get", "name", "new");
        assertEquals(404, gone.status());
        assertEquals("RESOURCE_DOES_NOT_EXIST", gone.errorCode());
    }

    private static Map<String, Object> asMap(JsonNode n) {
        Map<String, Object> m = new java.util.HashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    @Test
    void modelVersionLifecycle() {
        createModel("m");
        JsonNode v = ok(http.post("model-versions/create", "name", "m", "source", "runs:/abc/model", "run_id", "abc",
                "description", "first", "tags", List.of(Map.of("key", "k", "value", "v")))).get("model_version");
        assertEquals("1", v.get("version").asText(), "versions are strings on the wire");
        assertEquals("None", v.get("current_stage").asText());
        assertEquals("READY", v.get("status").asText());
        assertEquals("abc", v.get("run_id").asText());
        assertEquals("runs:/abc/model", v.get("source").asText());
        assertEquals("v", v.at("/tags/0/value").asText());
        assertEquals("2", ok(http.post("model-versions/create", "name", "m", "source", "s3://b/2")).at("/model_version/version").asText());

        JsonNode updated = ok(http.send("PATCH", "model-versions/update", "name", "m", "version", "1", "description", "d"));
        assertEquals("d", updated.at("/model_version/description").asText());

        JsonNode moved = ok(http.post("model-versions/transition-stage", "name", "m", "version", "1", "stage", "production",
                "archive_existing_versions", false));
        assertEquals("Production", moved.at("/model_version/current_stage").asText());
        ok(http.post("model-versions/transition-stage", "name", "m", "version", "2", "stage", "Production",
                "archive_existing_versions", true));
        assertEquals("Archived", ok(http.get("model-versions/get", "name", "m", "version", "1")).at("/model_version/current_stage").asText());

        ok(http.post("model-versions/set-tag", "name", "m", "version", "2", "key", "ok", "value", "yes"));
        assertEquals("yes", ok(http.get("model-versions/get", "name", "m", "version", "2")).at("/model_version/tags/0/value").asText());
        ok(http.send("DELETE", "model-versions/delete-tag", "name", "m", "version", "2", "key", "ok"));
        assertTrue(ok(http.get("model-versions/get", "name", "m", "version", "2")).at("/model_version/tags").isEmpty());

        ok(http.send("DELETE", "model-versions/delete", "name", "m", "version", "1"));
        assertEquals(404, http.get("model-versions/get", "name", "m", "version", "1").status());
    }

    @Test
    void registeredModelCarriesLatestVersionsAndAliases() {
        createModel("m");
        createVersion("m", "s3://b/1");
        createVersion("m", "s3://b/2");
        createVersion("m", "s3://b/3");
        ok(http.post("model-versions/transition-stage", "name", "m", "version", "2", "stage", "Staging",
                "archive_existing_versions", false));
        ok(http.post("registered-models/alias", "name", "m", "alias", "champion", "version", "2"));
        JsonNode rm = ok(http.get("registered-models/get", "name", "m")).get("registered_model");
        List<String> latest = new ArrayList<>();
        rm.get("latest_versions").forEach(v -> latest.add(v.get("current_stage").asText() + ":" + v.get("version").asText()));
        assertEquals(List.of("None:3", "Staging:2"), latest);
        assertEquals("champion", rm.at("/aliases/0/alias").asText());
        assertEquals("2", rm.at("/aliases/0/version").asText());
        assertEquals("champion", rm.at("/latest_versions/1/aliases/0").asText());

        JsonNode byAlias = ok(http.get("registered-models/alias", "name", "m", "alias", "champion")).get("model_version");
        assertEquals("2", byAlias.get("version").asText());
        assertEquals("champion", byAlias.at("/aliases/0").asText());
        ok(http.post("registered-models/alias", "name", "m", "alias", "champion", "version", "3"));
        assertEquals("3", ok(http.get("registered-models/alias", "name", "m", "alias", "champion")).at("/model_version/version").asText());
        ok(http.send("DELETE", "registered-models/alias", "name", "m", "alias", "champion"));
        Reply missing = http.get("registered-models/alias", "name", "m", "alias", "champion");
        assertEquals(400, missing.status()); // MLflow: INVALID_PARAMETER_VALUE "Registered model alias champion not found."
        assertEquals("INVALID_PARAMETER_VALUE", missing.errorCode());
        assertEquals(400, http.post("registered-models/alias", "name", "m", "alias", "latest", "version", "1").status());
    }

    @Test
    void latestVersionsByPostAndGet() {
        createModel("m");
        createVersion("m", "s3://b/1");
        createVersion("m", "s3://b/2");
        ok(http.post("model-versions/transition-stage", "name", "m", "version", "1", "stage", "Production",
                "archive_existing_versions", false));
        JsonNode post = ok(http.post("registered-models/get-latest-versions", "name", "m", "stages", List.of("production")));
        assertEquals(1, post.get("model_versions").size());
        assertEquals("1", post.at("/model_versions/0/version").asText());
        JsonNode all = ok(http.get("registered-models/get-latest-versions", "name", "m"));
        assertEquals(2, all.get("model_versions").size());
        Reply bad = http.post("registered-models/get-latest-versions", "name", "m", "stages", List.of("Prod"));
        assertEquals(400, bad.status());
        assertEquals("INVALID_PARAMETER_VALUE", bad.errorCode());
    }

    @Test
    void searchRegisteredModelsPagesWithTokens() {
        for (String n : List.of("imdb-a", "imdb-b", "imdb-c", "other")) {
            createModel(n);
        }
        ok(http.post("registered-models/set-tag", "name", "imdb-b", "key", "kind", "value", "nn"));
        JsonNode first = ok(http.get("registered-models/search", "filter", "name LIKE 'imdb-%'", "max_results", 2));
        assertEquals(List.of("imdb-a", "imdb-b"), names(first.get("registered_models")));
        String token = first.get("next_page_token").asText();
        JsonNode second = ok(http.get("registered-models/search", "filter", "name LIKE 'imdb-%'", "max_results", 2,
                "page_token", token));
        assertEquals(List.of("imdb-c"), names(second.get("registered_models")));
        assertFalse(second.has("next_page_token"));
        assertEquals(List.of("imdb-b"), names(ok(http.get("registered-models/search", "filter", "tags.kind = 'nn'"))
                .get("registered_models")));
        assertEquals(List.of("other", "imdb-c", "imdb-b", "imdb-a"),
                names(ok(http.get("registered-models/search", "order_by", "name DESC")).get("registered_models")));
        assertEquals(400, http.get("registered-models/search", "max_results", 1001).status());
        assertEquals(400, http.get("registered-models/search", "filter", "name = ").status());
    }

    @Test
    void searchModelVersionsOverHttp() {
        createModel("a");
        createModel("b");
        ok(http.post("model-versions/create", "name", "a", "source", "s3://x/a", "run_id", "r1"));
        ok(http.post("model-versions/create", "name", "b", "source", "s3://y/b", "run_id", "r2"));
        JsonNode found = ok(http.get("model-versions/search", "filter", "run_id = 'r2'"));
        assertEquals(1, found.get("model_versions").size());
        assertEquals("b", found.at("/model_versions/0/name").asText());
        assertEquals(2, ok(http.get("model-versions/search")).get("model_versions").size());
    }

    private static List<String> names(JsonNode models) {
        List<String> out = new ArrayList<>();
        models.forEach(m -> out.add(m.get("name").asText()));
        return out;
    }

    @Test
    void errorsCarryMlflowCodesAndStatuses() {
        Reply missing = http.get("registered-models/get", "name", "nope");
        assertEquals(404, missing.status());
        assertEquals("RESOURCE_DOES_NOT_EXIST", missing.errorCode());
        assertEquals(404, http.post("model-versions/create", "name", "nope", "source", "s3://x/m").status());

        createModel("m");
        Reply dup = http.post("registered-models/create", "name", "m");
        assertEquals(400, dup.status());
        assertEquals("RESOURCE_ALREADY_EXISTS", dup.errorCode());
        createModel("other");
        assertEquals("RESOURCE_ALREADY_EXISTS", http.post("registered-models/rename", "name", "m", "new_name", "other").errorCode());

        Reply noName = http.post("registered-models/create");
        assertEquals(400, noName.status());
        assertEquals("INVALID_PARAMETER_VALUE", noName.errorCode());
        assertEquals(400, http.get("registered-models/get").status());
        assertEquals(400, http.post("model-versions/create", "name", "m").status());

        createVersion("m", "s3://x/m");
        Reply badStage = http.post("model-versions/transition-stage", "name", "m", "version", "1", "stage", "Prod",
                "archive_existing_versions", false);
        assertEquals(400, badStage.status());
        assertEquals("INVALID_PARAMETER_VALUE", badStage.errorCode());
        assertEquals(400, http.post("model-versions/transition-stage", "name", "m", "version", "1", "stage", "Archived",
                "archive_existing_versions", true).status());
        assertEquals(400, http.get("model-versions/get", "name", "m", "version", "one").status());
        assertEquals(404, http.get("model-versions/get", "name", "m", "version", "9").status());
        assertEquals(404, http.send("DELETE", "registered-models/delete", "name", "nope").status());
    }

    @Test
    void registryAnswersUnderTheAjaxPrefixToo() {
        RegistryHttp ajax = new RegistryHttp("http://127.0.0.1:" + server.port() + "/ajax-api/2.0/mlflow/");
        assertEquals(200, ajax.post("registered-models/create", "name", "ui").status());
        assertEquals(Set.of("registered_models"),
                Set.copyOf(asMap(ok(ajax.get("registered-models/search", "filter", "name = 'ui'"))).keySet()));
    }
}
