package dev.labbook.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.auth.AuthServer.Client;
import dev.labbook.server.auth.AuthServer.Response;
import dev.labbook.store.auth.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MLflow's auth REST API and permission semantics on a real server with access control on:
 * 401/403 as MLflow JSON, users, experiment and model grants, creators' MANAGE, the default
 * permission, filtered searches with full pages.
 */
class AuthApiTest {
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

    @Test
    void withoutCredentialsOnlyHealthAndVersionAnswer() {
        Response r = server.anonymous().get(API + "experiments/search");
        assertEquals(401, r.status());
        assertEquals("UNAUTHENTICATED", r.errorCode());
        assertEquals("Basic realm=\"mlflow\"", r.header("WWW-Authenticate"));
        assertEquals(200, server.anonymous().get("/health").status());
        assertEquals(200, server.anonymous().get("/version").status());
        // static files need no credentials (the sign-in page is one)
        assertEquals(200, server.anonymous().get("/index.html").status());
        // the dashboard's own requests get no challenge, which would open the browser's dialog
        assertNull(server.anonymous().with(AuthFilter.DASHBOARD_HEADER, "1").get(API + "experiments/search").header("WWW-Authenticate"));
    }

    @Test
    void wrongPasswordIsUnauthenticatedAndNeverEchoed() {
        Response r = server.basic("admin", "guess-1").get(API + "experiments/search");
        assertEquals(401, r.status());
        assertFalse(r.body().contains("guess-1"));
    }

    @Test
    void usersApiAsMlflowsClientCallsIt() {
        Client admin = server.admin();
        JsonNode user = admin.post(API + "users/create", Map.of("username", "carol", "password", "carol-pass")).ok().get("user");
        assertEquals("carol", user.get("username").asText());
        assertFalse(user.get("is_admin").asBoolean());
        assertTrue(user.get("experiment_permissions").isArray());
        assertFalse(user.toString().contains("carol-pass"));
        assertEquals("RESOURCE_ALREADY_EXISTS",
                admin.post(API + "users/create", Map.of("username", "carol", "password", "x")).errorCode());
        Client carol = server.basic("carol", "carol-pass");
        // a user reads themselves, not others; only admins create users
        assertEquals("carol", carol.get(API + "users/get", "username", "carol").ok().get("user").get("username").asText());
        assertEquals(403, carol.get(API + "users/get", "username", "admin").status());
        assertEquals("PERMISSION_DENIED", carol.post(API + "users/create", Map.of("username", "x", "password", "y")).errorCode());
        // a password change takes effect at once (the credential cache is dropped)
        carol.send("PATCH", API + "users/update-password", Map.of("username", "carol", "password", "carol-pass-2")).ok();
        assertEquals(401, carol.get(API + "users/get", "username", "carol").status());
        Client carol2 = server.basic("carol", "carol-pass-2");
        carol2.get(API + "users/get", "username", "carol").ok();
        admin.send("PATCH", API + "users/update-admin", Map.of("username", "carol", "is_admin", true)).ok();
        assertTrue(carol2.get(API + "users/get", "username", "admin").ok().get("user").get("is_admin").asBoolean());
        admin.send("DELETE", API + "users/delete", Map.of("username", "carol")).ok();
        assertEquals(401, carol2.get(API + "users/get", "username", "carol").status());
    }

    @Test
    void creatorsManageOthersReadByDefaultAndGrantsChangeThat() {
        Client alice = server.user("alice1");
        Client bob = server.user("bob1");
        String exp = alice.post(API + "experiments/create", Map.of("name", "alice1-exp")).ok().get("experiment_id").asText();
        JsonNode grant = alice.get(API + "experiments/permissions/get", "experiment_id", exp, "username", "alice1").ok()
                .get("experiment_permission");
        assertEquals("MANAGE", grant.get("permission").asText());
        String run = alice.post(API + "runs/create", Map.of("experiment_id", exp)).ok().get("run").get("info").get("run_id").asText();
        // default READ: bob reads, but may not log, delete or share
        bob.get(API + "runs/get", "run_id", run).ok();
        Response denied = bob.post(API + "runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("loss", 1))));
        assertEquals(403, denied.status());
        assertEquals("PERMISSION_DENIED", denied.errorCode());
        assertEquals(403, bob.post(API + "experiments/delete", Map.of("experiment_id", exp)).status());
        assertEquals(403, bob.post(API + "experiments/permissions/create",
                Map.of("experiment_id", exp, "username", "bob1", "permission", "MANAGE")).status());
        // EDIT lets bob log (runs inherit their experiment's permission), not delete
        alice.post(API + "experiments/permissions/create", Map.of("experiment_id", exp, "username", "bob1", "permission", "EDIT")).ok();
        bob.post(API + "runs/log-batch", Map.of("run_id", run, "metrics", List.of(metric("loss", 1)))).ok();
        assertEquals(403, bob.post(API + "runs/delete", Map.of("run_id", run)).status());
        // NO_PERMISSIONS hides the experiment and its runs
        alice.send("PATCH", API + "experiments/permissions/update", Map.of("experiment_id", exp, "username", "bob1",
                "permission", "NO_PERMISSIONS")).ok();
        assertEquals(403, bob.get(API + "runs/get", "run_id", run).status());
        assertEquals(403, bob.get(API + "experiments/get", "experiment_id", exp).status());
        assertEquals(0, bob.post(API + "runs/search", Map.of("experiment_ids", List.of(exp))).ok().path("runs").size());
        assertFalse(names(bob.post(API + "experiments/search", Map.of("max_results", 1000)).ok()).contains("alice1-exp"));
        // deleting the grant brings the default back
        alice.send("DELETE", API + "experiments/permissions/delete", Map.of("experiment_id", exp, "username", "bob1")).ok();
        bob.get(API + "runs/get", "run_id", run).ok();
    }

    @Test
    void registeredModelsHaveTheirOwnGrants() {
        Client alice = server.user("alice2");
        Client bob = server.user("bob2");
        alice.post(API + "registered-models/create", Map.of("name", "alice2-model")).ok();
        assertEquals("MANAGE", alice.get(API + "registered-models/permissions/get", "name", "alice2-model", "username", "alice2")
                .ok().get("registered_model_permission").get("permission").asText());
        bob.get(API + "registered-models/get", "name", "alice2-model").ok();
        assertEquals(403, bob.send("PATCH", API + "registered-models/update", Map.of("name", "alice2-model", "description", "x")).status());
        alice.post(API + "registered-models/permissions/create", Map.of("name", "alice2-model", "username", "bob2",
                "permission", "NO_PERMISSIONS")).ok();
        assertEquals(403, bob.get(API + "registered-models/get", "name", "alice2-model").status());
        JsonNode models = bob.get(API + "registered-models/search", "max_results", "1000").ok();
        models.path("registered_models").forEach(m -> assertFalse(m.get("name").asText().equals("alice2-model")));
        // grants follow a rename
        alice.post(API + "registered-models/rename", Map.of("name", "alice2-model", "new_name", "alice2-renamed")).ok();
        assertEquals(403, bob.get(API + "registered-models/get", "name", "alice2-renamed").status());
    }

    @Test
    void searchesHideWhatTheCallerMayNotReadYetFillTheirPages() {
        Client owner = server.user("owner3");
        Client viewer = server.user("viewer3");
        List<String> visible = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "page3-" + i;
            String id = owner.post(API + "experiments/create", Map.of("name", name)).ok().get("experiment_id").asText();
            if (i % 3 == 0) {
                visible.add(name);
            } else {
                owner.post(API + "experiments/permissions/create", Map.of("experiment_id", id, "username", "viewer3",
                        "permission", "NO_PERMISSIONS")).ok();
            }
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, Object> body = token == null
                    ? Map.of("max_results", 2, "filter", "name LIKE 'page3-%'")
                    : Map.of("max_results", 2, "filter", "name LIKE 'page3-%'", "page_token", token);
            JsonNode page = viewer.post(API + "experiments/search", body).ok();
            List<String> names = names(page);
            pages++;
            if (page.hasNonNull("next_page_token")) {
                assertEquals(2, names.size(), "a page before the last is full");
                token = page.get("next_page_token").asText();
            } else {
                token = null;
            }
            seen.addAll(names);
        } while (token != null && pages < 20);
        assertEquals(visible.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void teamsGrantTheHighestOfOwnAndTeam() {
        Client admin = server.admin();
        Client alice = server.user("alice4");
        Client bob = server.user("bob4");
        String exp = alice.post(API + "experiments/create", Map.of("name", "alice4-exp")).ok().get("experiment_id").asText();
        String run = alice.post(API + "runs/create", Map.of("experiment_id", exp)).ok().get("run").get("info").get("run_id").asText();
        alice.post(API + "experiments/permissions/create", Map.of("experiment_id", exp, "username", "bob4",
                "permission", "NO_PERMISSIONS")).ok();
        assertEquals(403, bob.get(API + "runs/get", "run_id", run).status());
        admin.post(RouteRules.AUTH + "teams/create", Map.of("name", "team4")).ok();
        admin.post(RouteRules.AUTH + "teams/add-member", Map.of("team", "team4", "username", "bob4")).ok();
        // alice shares with the team through the Share panel's endpoint: bob's team READ beats his own NO_PERMISSIONS
        alice.post(RouteRules.AUTH + "experiments/grants/set", Map.of("experiment_id", exp, "team", "team4", "permission", "READ")).ok();
        bob.get(API + "runs/get", "run_id", run).ok();
        assertEquals(403, bob.post(API + "runs/set-tag", Map.of("run_id", run, "key", "k", "value", "v")).status());
        JsonNode perm = bob.get(RouteRules.AUTH + "permission", "experiment_id", exp).ok();
        assertEquals("READ", perm.get("permission").asText());
        assertFalse(perm.get("can_update").asBoolean());
        JsonNode grants = alice.get(RouteRules.AUTH + "experiments/grants", "experiment_id", exp).ok().get("grants");
        assertEquals(3, grants.size());
        admin.post(RouteRules.AUTH + "teams/remove-member", Map.of("team", "team4", "username", "bob4")).ok();
        assertEquals(403, bob.get(API + "runs/get", "run_id", run).status());
        // the audit log, for admins only, says who shared what
        JsonNode events = admin.get(RouteRules.AUTH + "audit", "max_results", "50").ok().get("events");
        boolean shared = false;
        for (JsonNode e : events) {
            shared |= e.get("actor").asText().equals("alice4") && e.get("action").asText().equals("set_permission");
        }
        assertTrue(shared);
        assertEquals(403, bob.get(RouteRules.AUTH + "audit").status());
    }

    @Test
    void adminsPassEverything() {
        Client alice = server.user("alice5");
        String exp = alice.post(API + "experiments/create", Map.of("name", "alice5-exp")).ok().get("experiment_id").asText();
        alice.post(API + "experiments/permissions/create", Map.of("experiment_id", exp, "username", "admin",
                "permission", "NO_PERMISSIONS")).ok();
        server.admin().get(API + "experiments/get", "experiment_id", exp).ok();
        assertNotNull(server.admin().post(API + "experiments/delete", Map.of("experiment_id", exp)).ok());
    }

    static Map<String, Object> metric(String key, double value) {
        return Map.of("key", key, "value", value, "timestamp", 1000, "step", 0);
    }

    static List<String> names(JsonNode searchAnswer) {
        List<String> out = new ArrayList<>();
        searchAnswer.path("experiments").forEach(e -> out.add(e.get("name").asText()));
        return out;
    }
}
