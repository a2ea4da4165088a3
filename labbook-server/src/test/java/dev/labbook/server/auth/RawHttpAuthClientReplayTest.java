package dev.labbook.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.auth.AuthServer.Client;
import dev.labbook.server.auth.AuthServer.Response;
import dev.labbook.store.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays, byte for byte, what MLflow 3.11's Python {@code AuthServiceClient} and its tracking client
 * sent to Labbook in the pycheck/auth run (recorded through a logging proxy): the same methods, paths,
 * query strings, JSON bodies (Python's {@code json.dumps} spacing, bodies on DELETE and PATCH) and
 * headers ({@code Authorization: Basic}/{@code Bearer}, {@code User-Agent}, {@code X-MLflow-Client-Version};
 * not its {@code Accept-Encoding: gzip}, which java.net.http would not decode).
 * Each test asserts the fields and error codes the client reads back: {@code User.from_json} needs
 * {@code id}, {@code username}, {@code is_admin} and the three permission lists (MLflow 3 reads
 * {@code scorer_permissions} unconditionally), permission entities need their key, {@code user_id} and
 * {@code permission}, and {@code RestException} needs {@code error_code}.
 */
class RawHttpAuthClientReplayTest {
    private static final String API = "/api/2.0/mlflow/";
    private static AuthServer server;

    @BeforeAll
    static void start() {
        server = new AuthServer(AuthServer.config(Permission.READ));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The headers MLflow 3.11's client sends with HTTP Basic credentials (MLFLOW_TRACKING_USERNAME/PASSWORD). */
    private static Client python(String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return pythonHeaders(new Client(server.url(), "Basic " + basic));
    }

    /** The headers it sends with MLFLOW_TRACKING_TOKEN. */
    private static Client pythonToken(String token) {
        return pythonHeaders(new Client(server.url(), "Bearer " + token));
    }

    private static Client pythonHeaders(Client c) {
        return c.with("User-Agent", "mlflow-python-client/3.11.2.dev0").with("X-MLflow-Client-Version", "3.11.2.dev0")
                .with("Accept", "*/*");
    }

    private static Client admin() {
        return python("admin", AuthServer.ADMIN_PASSWORD);
    }

    /** Asserts the fields {@code User.from_json} reads, and returns the user. */
    private static JsonNode assertUserShape(Response r, String username, boolean admin) {
        JsonNode u = r.ok().path("user");
        assertTrue(u.path("id").isIntegralNumber(), r.body());
        assertEquals(username, u.path("username").asText(), r.body());
        assertTrue(u.path("is_admin").isBoolean(), r.body());
        assertEquals(admin, u.path("is_admin").asBoolean(), r.body());
        for (String list : List.of("experiment_permissions", "registered_model_permissions", "scorer_permissions")) {
            assertTrue(u.path(list).isArray(), list + " missing: " + r.body());
        }
        return u;
    }

    private static String createUser(String name, String password) {
        admin().post(API + "users/create", "{\"username\": \"" + name + "\", \"password\": \"" + password + "\"}").ok();
        return name;
    }

    private static String createExperiment(Client c, String name) {
        return c.post(API + "experiments/create", "{\"name\": \"" + name + "\"}").ok().path("experiment_id").asText();
    }

    @Test
    void usersCreateGetUpdateDeleteAsTheClientSendsThem() {
        Response created = admin().post(API + "users/create", "{\"username\": \"alice\", \"password\": \"first-Pass-1\"}");
        JsonNode u = assertUserShape(created, "alice", false);
        assertEquals(0, u.path("experiment_permissions").size());
        assertEquals(0, u.path("scorer_permissions").size());

        JsonNode got = assertUserShape(admin().get(API + "users/get?username=alice"), "alice", false);
        assertEquals(u.path("id").asLong(), got.path("id").asLong());

        Response dup = admin().post(API + "users/create", "{\"username\": \"alice\", \"password\": \"first-Pass-1\"}");
        assertEquals(400, dup.status());
        assertEquals("RESOURCE_ALREADY_EXISTS", dup.errorCode());
        Response missing = admin().get(API + "users/get?username=nobody");
        assertEquals(404, missing.status());
        assertEquals("RESOURCE_DOES_NOT_EXIST", missing.errorCode());

        assertEquals(0, admin().send("PATCH", API + "users/update-password",
                "{\"username\": \"alice\", \"password\": \"second-Pass-2\"}").ok().size());
        assertEquals(200, python("alice", "second-Pass-2").post(API + "experiments/search",
                "{\"max_results\": 1, \"view_type\": \"ACTIVE_ONLY\"}").status());
        Response old = python("alice", "first-Pass-1").post(API + "experiments/search", "{\"max_results\": 1, \"view_type\": \"ACTIVE_ONLY\"}");
        assertEquals(401, old.status());
        assertEquals("UNAUTHENTICATED", old.errorCode());

        admin().send("PATCH", API + "users/update-admin", "{\"username\": \"alice\", \"is_admin\": true}").ok();
        assertUserShape(admin().get(API + "users/get?username=alice"), "alice", true);
        admin().send("PATCH", API + "users/update-admin", "{\"username\": \"alice\", \"is_admin\": false}").ok();
        assertUserShape(admin().get(API + "users/get?username=alice"), "alice", false);

        createUser("carol", "first-Pass-1");
        assertEquals(0, admin().send("DELETE", API + "users/delete", "{\"username\": \"carol\"}").ok().size());
        assertEquals("RESOURCE_DOES_NOT_EXIST", admin().get(API + "users/get?username=carol").errorCode());
    }

    @Test
    void experimentPermissionsCrudAsTheClientSendsThem() {
        createUser("dave", "dave-Pass-1");
        long daveId = admin().get(API + "users/get?username=dave").ok().path("user").path("id").asLong();
        String eid = createExperiment(admin(), "admin-exp");

        Response created = admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + eid + "\", \"username\": \"dave\", \"permission\": \"READ\"}");
        JsonNode p = created.ok().path("experiment_permission");
        assertEquals(eid, p.path("experiment_id").asText(), created.body());
        assertTrue(p.path("experiment_id").isTextual(), "experiment ids are strings on the wire: " + created.body());
        assertEquals(daveId, p.path("user_id").asLong(), created.body());
        assertEquals("READ", p.path("permission").asText());

        String query = "?experiment_id=" + eid + "&username=dave";
        assertEquals("READ", admin().get(API + "experiments/permissions/get" + query).ok()
                .path("experiment_permission").path("permission").asText());
        assertEquals(0, admin().send("PATCH", API + "experiments/permissions/update",
                "{\"experiment_id\": \"" + eid + "\", \"username\": \"dave\", \"permission\": \"EDIT\"}").ok().size());
        assertEquals("EDIT", admin().get(API + "experiments/permissions/get" + query).ok()
                .path("experiment_permission").path("permission").asText());

        JsonNode listed = admin().get(API + "users/get?username=dave").ok().path("user").path("experiment_permissions");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(eid, listed.get(0).path("experiment_id").asText());
        assertEquals(daveId, listed.get(0).path("user_id").asLong());
        assertEquals("EDIT", listed.get(0).path("permission").asText());

        Response invalid = admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + eid + "\", \"username\": \"dave\", \"permission\": \"OWNER\"}");
        assertEquals(400, invalid.status());
        assertEquals("INVALID_PARAMETER_VALUE", invalid.errorCode());

        admin().send("DELETE", API + "experiments/permissions/delete", "{\"experiment_id\": \"" + eid + "\", \"username\": \"dave\"}").ok();
        Response gone = admin().get(API + "experiments/permissions/get" + query);
        assertEquals(404, gone.status());
        assertEquals("RESOURCE_DOES_NOT_EXIST", gone.errorCode());
    }

    @Test
    void registeredModelPermissionsCrudAsTheClientSendsThem() {
        createUser("erin", "erin-Pass-1");
        long erinId = admin().get(API + "users/get?username=erin").ok().path("user").path("id").asLong();
        admin().post(API + "registered-models/create", "{\"name\": \"model-r\"}").ok();

        Response created = admin().post(API + "registered-models/permissions/create",
                "{\"name\": \"model-r\", \"username\": \"erin\", \"permission\": \"READ\"}");
        JsonNode p = created.ok().path("registered_model_permission");
        assertEquals("model-r", p.path("name").asText(), created.body());
        assertEquals(erinId, p.path("user_id").asLong(), created.body());
        assertEquals("READ", p.path("permission").asText());

        String query = "?name=model-r&username=erin";
        assertEquals("READ", admin().get(API + "registered-models/permissions/get" + query).ok()
                .path("registered_model_permission").path("permission").asText());
        admin().send("PATCH", API + "registered-models/permissions/update",
                "{\"name\": \"model-r\", \"username\": \"erin\", \"permission\": \"MANAGE\"}").ok();
        JsonNode listed = admin().get(API + "users/get?username=erin").ok().path("user").path("registered_model_permissions");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("model-r", listed.get(0).path("name").asText());
        assertEquals("MANAGE", listed.get(0).path("permission").asText());

        admin().send("DELETE", API + "registered-models/permissions/delete", "{\"name\": \"model-r\", \"username\": \"erin\"}").ok();
        assertEquals("RESOURCE_DOES_NOT_EXIST", admin().get(API + "registered-models/permissions/get" + query).errorCode());
    }

    @Test
    void aNonAdminGetsManageOnWhatTheyCreateAndIsRefusedElsewhere() {
        Client bob = python(createUser("bob", "bob-Pass-1"), "bob-Pass-1");
        String own = createExperiment(bob, "bob-exp");
        assertEquals("MANAGE", admin().get(API + "experiments/permissions/get?experiment_id=" + own + "&username=bob").ok()
                .path("experiment_permission").path("permission").asText());
        String runId = bob.post(API + "runs/create", "{\"experiment_id\": \"" + own + "\", \"user_id\": \"unknown\", \"start_time\": 1796425411975}")
                .ok().path("run").path("info").path("run_id").asText();
        bob.post(API + "runs/log-metric", "{\"run_uuid\": \"" + runId + "\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1796425412090, \"step\": 1, \"run_id\": \"" + runId + "\"}").ok();
        JsonNode run = bob.get(API + "runs/get?run_uuid=" + runId + "&run_id=" + runId).ok().path("run");
        assertEquals(0.5, run.path("data").path("metrics").get(0).path("value").asDouble());

        Response notAdmin = bob.post(API + "users/create", "{\"username\": \"mallory\", \"password\": \"first-Pass-1\"}");
        assertEquals(403, notAdmin.status());
        assertEquals("PERMISSION_DENIED", notAdmin.errorCode());

        String secret = createExperiment(admin(), "secret-exp");
        String secretRun = admin().post(API + "runs/create", "{\"experiment_id\": \"" + secret + "\", \"user_id\": \"unknown\", \"start_time\": 1796425412489}")
                .ok().path("run").path("info").path("run_id").asText();
        admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + secret + "\", \"username\": \"bob\", \"permission\": \"NO_PERMISSIONS\"}").ok();
        for (Response r : List.of(bob.get(API + "experiments/get?experiment_id=" + secret),
                bob.get(API + "runs/get?run_uuid=" + secretRun + "&run_id=" + secretRun),
                bob.post(API + "experiments/permissions/create",
                        "{\"experiment_id\": \"" + secret + "\", \"username\": \"bob\", \"permission\": \"MANAGE\"}"))) {
            assertEquals(403, r.status(), r.request() + ": " + r.body());
            assertEquals("PERMISSION_DENIED", r.errorCode());
        }

        String shared = createExperiment(admin(), "shared-exp");
        String sharedRun = admin().post(API + "runs/create", "{\"experiment_id\": \"" + shared + "\", \"user_id\": \"unknown\", \"start_time\": 1796425412857}")
                .ok().path("run").path("info").path("run_id").asText();
        admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + shared + "\", \"username\": \"bob\", \"permission\": \"READ\"}").ok();
        assertEquals("shared-exp", bob.get(API + "experiments/get?experiment_id=" + shared).ok().path("experiment").path("name").asText());
        for (Response r : List.of(
                bob.post(API + "runs/log-metric", "{\"run_uuid\": \"" + sharedRun + "\", \"key\": \"m\", \"value\": 1.0, \"timestamp\": 1796425413150, \"step\": 0, \"run_id\": \"" + sharedRun + "\"}"),
                bob.post(API + "runs/create", "{\"experiment_id\": \"" + shared + "\", \"user_id\": \"unknown\", \"start_time\": 1796425413000}"),
                bob.post(API + "experiments/delete", "{\"experiment_id\": \"" + shared + "\"}"))) {
            assertEquals(403, r.status(), r.request() + ": " + r.body());
            assertEquals("PERMISSION_DENIED", r.errorCode());
        }

        // searches: mlflow.search_experiments and mlflow.search_runs send these bodies
        List<String> visible = ids(bob.post(API + "experiments/search", "{\"max_results\": 1000, \"view_type\": \"ACTIVE_ONLY\"}")
                .ok().path("experiments"), "experiment_id");
        assertTrue(visible.containsAll(List.of(own, shared)), visible.toString());
        assertFalse(visible.contains(secret), visible.toString());
        JsonNode page = bob.post(API + "experiments/search", "{\"max_results\": 2, \"filter\": \"name LIKE '%-exp'\", \"view_type\": \"ACTIVE_ONLY\"}").ok();
        assertEquals(2, page.path("experiments").size(), page.toString());
        assertFalse(ids(page.path("experiments"), "experiment_id").contains(secret));
        JsonNode runs = bob.post(API + "runs/search", "{\"experiment_ids\": [\"" + own + "\", \"" + shared + "\", \"" + secret + "\"], \"run_view_type\": \"ACTIVE_ONLY\", \"filter\": \"\", \"max_results\": 10000}")
                .ok().path("runs");
        List<String> runIds = new ArrayList<>();
        runs.forEach(r -> runIds.add(r.path("info").path("run_id").asText()));
        assertTrue(runIds.containsAll(List.of(runId, sharedRun)), runIds.toString());
        assertFalse(runIds.contains(secretRun), runIds.toString());
    }

    @Test
    void trackingTokenIsSentAsBearerAndActsAsItsUser() {
        Client frank = python(createUser("frank", "frank-Pass-1"), "frank-Pass-1");
        String own = createExperiment(frank, "frank-exp");
        String secret = createExperiment(admin(), "frank-secret");
        admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + secret + "\", \"username\": \"frank\", \"permission\": \"NO_PERMISSIONS\"}").ok();

        String token = frank.post(RouteRules.AUTH + "tokens/create", "{\"name\": \"pycheck\"}").ok().path("token").asText();
        Client viaToken = pythonToken(token);
        String runId = viaToken.post(API + "runs/create", "{\"experiment_id\": \"" + own + "\", \"user_id\": \"unknown\", \"start_time\": 1796425413661}")
                .ok().path("run").path("info").path("run_id").asText();
        viaToken.post(API + "runs/log-metric", "{\"run_uuid\": \"" + runId + "\", \"key\": \"acc\", \"value\": 0.9, \"timestamp\": 1796425413713, \"step\": 0, \"run_id\": \"" + runId + "\"}").ok();
        Response refused = viaToken.get(API + "experiments/get?experiment_id=" + secret);
        assertEquals(403, refused.status());
        assertEquals("PERMISSION_DENIED", refused.errorCode());

        String readOnly = frank.post(RouteRules.AUTH + "tokens/create", "{\"name\": \"pycheck\", \"read_only\": true}").ok().path("token").asText();
        assertEquals(own, pythonToken(readOnly).get(API + "experiments/get?experiment_id=" + own).ok().path("experiment").path("experiment_id").asText());
        Response write = pythonToken(readOnly).post(API + "runs/create", "{\"experiment_id\": \"" + own + "\", \"user_id\": \"unknown\", \"start_time\": 1796425414002}");
        assertEquals(403, write.status());
        assertEquals("PERMISSION_DENIED", write.errorCode());

        Response bogus = pythonToken("lbk_0000000000000000_notarealsecret").post(API + "experiments/search", "{\"max_results\": 1, \"view_type\": \"ACTIVE_ONLY\"}");
        assertEquals(401, bogus.status());
        assertEquals("UNAUTHENTICATED", bogus.errorCode());
        Response none = pythonHeaders(server.anonymous()).post(API + "experiments/search", "{\"max_results\": 1, \"view_type\": \"ACTIVE_ONLY\"}");
        assertEquals(401, none.status());
        assertEquals("UNAUTHENTICATED", none.errorCode());
    }

    @Test
    void deletingAUserWhoHoldsGrantsSucceeds() {
        // MLflow 2.22's own server answers 400 (a NOT NULL constraint) here; the client expects 200.
        createUser("gina", "gina-Pass-1");
        String eid = createExperiment(admin(), "gina-exp");
        admin().post(API + "experiments/permissions/create",
                "{\"experiment_id\": \"" + eid + "\", \"username\": \"gina\", \"permission\": \"EDIT\"}").ok();
        admin().send("DELETE", API + "users/delete", "{\"username\": \"gina\"}").ok();
        assertEquals("RESOURCE_DOES_NOT_EXIST", admin().get(API + "users/get?username=gina").errorCode());
        assertEquals("RESOURCE_DOES_NOT_EXIST",
                admin().get(API + "experiments/permissions/get?experiment_id=" + eid + "&username=gina").errorCode());
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
