package dev.labbook.server.registry;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

/**
 * Registry searches as MLflow 2.21+ and 3.x clients send them: every search_registered_models and
 * search_model_versions carries {@code tag.`mlflow.prompt.is_prompt` != 'true'} (alone, or after
 * the user's filter with {@code AND}). MLflow's store answers with every model that is not a
 * prompt, tagged or not; and it lists versions latest change first when no order is given.
 */
class RegistrySearchInteropTest {
    static final String NOT_PROMPT = "tag.`mlflow.prompt.is_prompt` != 'true'";

    @TempDir
    Path tmp;
    LabbookServer server;
    RegistryHttp http;

    @BeforeEach
    void start() {
        String db = tmp.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), tmp.resolve("artifacts")));
        http = new RegistryHttp("http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/");
        ok(http.post("registered-models/create", "name", "imdb"));
        ok(http.post("registered-models/create", "name", "cv", "tags", List.of(Map.of("key", "team", "value", "vision"))));
        ok(http.post("registered-models/create", "name", "greeting",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"))));
        ok(http.post("model-versions/create", "name", "imdb", "source", "s3://b/imdb/1"));
        ok(http.post("model-versions/create", "name", "cv", "source", "s3://b/cv/1"));
        ok(http.post("model-versions/create", "name", "imdb", "source", "s3://b/imdb/2"));
        ok(http.post("model-versions/create", "name", "greeting", "source", "dummy-source",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode ok(RegistryHttp.Reply r) {
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    private static List<String> names(JsonNode items, boolean withVersion) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("name").asText() + (withVersion ? "/" + i.path("version").asText() : "")));
        return out;
    }

    /** GET registered-models/search?filter=...&max_results=100, as MlflowClient.search_registered_models sends it. */
    @Test
    void searchRegisteredModelsWithThePromptClauseFindsModelsWithoutTheTag() {
        JsonNode all = ok(http.get("registered-models/search", "filter", NOT_PROMPT, "max_results", 100));
        assertEquals(List.of("cv", "imdb"), names(all.path("registered_models"), false));
        JsonNode filtered = ok(http.get("registered-models/search",
                "filter", "name LIKE '%m%' AND " + NOT_PROMPT, "max_results", 100));
        assertEquals(List.of("imdb"), names(filtered.path("registered_models"), false));
        JsonNode byTag = ok(http.get("registered-models/search",
                "filter", "tags.team = 'vision' AND " + NOT_PROMPT, "max_results", 100));
        assertEquals(List.of("cv"), names(byTag.path("registered_models"), false));
        // what search_prompts sends
        JsonNode prompts = ok(http.get("registered-models/search",
                "filter", "tag.`mlflow.prompt.is_prompt` = 'true'", "max_results", 100));
        assertEquals(List.of("greeting"), names(prompts.path("registered_models"), false));
    }

    /** GET model-versions/search?filter=name='imdb' AND tag...&max_results=10000, as search_model_versions sends it. */
    @Test
    void searchModelVersionsWithThePromptClauseListsNewestFirst() {
        JsonNode imdb = ok(http.get("model-versions/search",
                "filter", "name='imdb' AND " + NOT_PROMPT, "max_results", 10000));
        assertEquals(List.of("imdb/2", "imdb/1"), names(imdb.path("model_versions"), true));
        // no order asked: the latest change first (MLflow: last_updated_timestamp DESC, name ASC, version DESC)
        long touched = ok(http.get("model-versions/get", "name", "imdb", "version", "2"))
                .at("/model_version/last_updated_timestamp").asLong();
        while (System.currentTimeMillis() <= touched) {
            Thread.onSpinWait(); // the update below must get a later millisecond than every version so far
        }
        ok(http.send("PATCH", "model-versions/update", "name", "cv", "version", "1", "description", "latest change"));
        JsonNode all = ok(http.get("model-versions/search", "filter", NOT_PROMPT, "max_results", 10000));
        assertEquals("cv/1", names(all.path("model_versions"), true).get(0));
        assertEquals(List.of("cv/1", "imdb/2", "imdb/1"), names(all.path("model_versions"), true));
    }

    /**
     * The official Java client (it has no registered-model search) with the clause a newer Python
     * client adds, and without a filter: prompts stay out there too.
     */
    @Test
    void javaClientSearchesWithThePromptClause() {
        MlflowClient client = new MlflowClient("http://127.0.0.1:" + server.port());
        try {
            assertEquals(List.of("cv", "imdb", "imdb"), client.searchModelVersions().getItems().stream()
                    .map(v -> v.getName()).sorted().toList());
            assertEquals(List.of("imdb/2", "imdb/1"), client.searchModelVersions("name = 'imdb' AND " + NOT_PROMPT)
                    .getItems().stream().map(v -> v.getName() + "/" + v.getVersion()).toList());
        } finally {
            client.close();
        }
    }
}
