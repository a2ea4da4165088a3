package dev.labbook.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.auth.AuthServer.Client;
import dev.labbook.server.auth.AuthServer.Response;
import dev.labbook.store.auth.Permission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Personal access tokens (shown once, revocable, expiring, read-only), dashboard sessions (cookie
 * attributes, CSRF, ended by a password change and by logout), and a second replica over the same
 * database seeing a revocation.
 */
class TokensAndSessionsTest {
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

    private static String token(Client owner, Map<String, Object> body) {
        JsonNode answer = owner.post(RouteRules.AUTH + "tokens/create", body).ok();
        String token = answer.get("token").asText();
        assertTrue(token.startsWith("lbk_"));
        assertEquals(answer.get("token_info").get("id").asText(), token.substring(4, 20));
        return token;
    }

    @Test
    void tokensWorkAsBearerUntilRevokedAndAreNeverShownAgain() {
        Client alice = server.user("tok-alice");
        String token = token(alice, Map.of("name", "ci"));
        Client ci = server.bearer(token);
        String exp = ci.post(API + "experiments/create", Map.of("name", "tok-alice-exp")).ok().get("experiment_id").asText();
        ci.post(API + "runs/create", Map.of("experiment_id", exp)).ok();
        JsonNode listed = alice.get(RouteRules.AUTH + "tokens/list").ok().get("tokens");
        assertEquals(1, listed.size());
        assertFalse(listed.toString().contains(token.substring(21)), "the secret is never listed");
        assertTrue(listed.get(0).get("active").asBoolean());
        // someone else may not revoke it
        Client bob = server.user("tok-bob");
        assertEquals(403, bob.post(RouteRules.AUTH + "tokens/revoke", Map.of("token_id", listed.get(0).get("id").asText())).status());
        alice.post(RouteRules.AUTH + "tokens/revoke", Map.of("token_id", listed.get(0).get("id").asText())).ok();
        Response after = ci.get(API + "experiments/get", "experiment_id", exp);
        assertEquals(401, after.status());
        assertEquals("UNAUTHENTICATED", after.errorCode());
        assertFalse(after.body().contains(token));
        assertFalse(alice.get(RouteRules.AUTH + "tokens/list").ok().get("tokens").get(0).get("active").asBoolean());
        // a made-up secret for a real id is refused as well
        assertEquals(401, server.bearer(token.substring(0, 21) + "x".repeat(43)).get(API + "experiments/search").status());
    }

    @Test
    void readOnlyTokensRead() {
        Client alice = server.user("ro-alice");
        String exp = alice.post(API + "experiments/create", Map.of("name", "ro-alice-exp")).ok().get("experiment_id").asText();
        Client ro = server.bearer(token(alice, Map.of("name", "dash", "read_only", true)));
        ro.get(API + "experiments/get", "experiment_id", exp).ok();
        assertEquals("PERMISSION_DENIED", ro.post(API + "runs/create", Map.of("experiment_id", exp)).errorCode());
        assertEquals(403, ro.post(RouteRules.AUTH + "tokens/create", Map.of("name", "escalate")).status());
        assertTrue(ro.get(RouteRules.AUTH + "me").ok().get("read_only").asBoolean());
    }

    @Test
    void tokensExpire() {
        Client alice = server.user("exp-alice");
        long userId = server.server.auth().store().getUser("exp-alice").orElseThrow().id();
        // a token that ends two seconds from now (the API's shortest is a day)
        String secret = "s".repeat(43);
        server.server.auth().store().createToken("00000000000000aa", userId, "short", Secrets.sha256(secret), false,
                System.currentTimeMillis() + 2000);
        Client shortLived = server.bearer("lbk_00000000000000aa_" + secret);
        shortLived.get(API + "experiments/search").ok();
        waitFor(() -> shortLived.get(API + "experiments/search").status() == 401, "the token to expire");
        assertNotNull(alice);
    }

    @Test
    void sessionsUseAStrictHttpOnlyCookieAndCsrfForWrites() {
        server.user("web-alice");
        Response login = server.anonymous().post(RouteRules.AUTH + "login", Map.of("username", "web-alice", "password", "web-alice-pass"));
        JsonNode body = login.ok();
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.startsWith(Authenticator.SESSION_COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "not over plain HTTP: " + setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = body.get("csrf_token").asText();
        Client web = server.anonymous().with("Cookie", cookie);
        assertEquals("web-alice", web.get(RouteRules.AUTH + "me").ok().get("user").get("username").asText());
        // a cookie alone does not write: another site's form could send it
        Response noCsrf = web.post(API + "experiments/create", Map.of("name", "web-alice-exp"));
        assertEquals(403, noCsrf.status());
        assertEquals("PERMISSION_DENIED", noCsrf.errorCode());
        assertEquals(403, web.with(AuthFilter.CSRF_HEADER, "wrong").post(API + "experiments/create", Map.of("name", "web-alice-exp")).status());
        Client webCsrf = web.with(AuthFilter.CSRF_HEADER, csrf);
        webCsrf.post(API + "experiments/create", Map.of("name", "web-alice-exp")).ok();
        // a password change ends every session of the user
        server.admin().send("PATCH", API + "users/update-password", Map.of("username", "web-alice", "password", "new-pass-1")).ok();
        assertFalse(web.get(RouteRules.AUTH + "me").ok().hasNonNull("user"));
        assertEquals(401, webCsrf.post(API + "experiments/create", Map.of("name", "web-alice-exp2")).status());
        // logout ends the session too
        Response again = server.anonymous().post(RouteRules.AUTH + "login", Map.of("username", "web-alice", "password", "new-pass-1"));
        String cookie2 = again.header("Set-Cookie").split(";")[0];
        Client web2 = server.anonymous().with("Cookie", cookie2).with(AuthFilter.CSRF_HEADER, again.ok().get("csrf_token").asText());
        web2.get(RouteRules.AUTH + "me").ok();
        web2.post(RouteRules.AUTH + "logout", Map.of()).ok();
        assertFalse(web2.get(RouteRules.AUTH + "me").ok().hasNonNull("user"));
        assertEquals(401, web2.get(API + "experiments/search").status());
    }

    @Test
    void aSecondReplicaSeesARevocationAndAPermissionChange() {
        Client alice = server.user("rep-alice");
        Client bob = server.user("rep-bob");
        String exp = alice.post(API + "experiments/create", Map.of("name", "rep-exp")).ok().get("experiment_id").asText();
        String token = token(alice, Map.of("name", "replicated"));
        // the same database (and artifacts), as replicas behind a balancer share them
        try (LabbookServer replica = LabbookServer.start(server.config)) {
            String url = "http://127.0.0.1:" + replica.port();
            Client onReplica = new Client(url, "Bearer " + token);
            Client bobOnReplica = new Client(url, bob.authorization);
            onReplica.get(API + "experiments/get", "experiment_id", exp).ok();
            bobOnReplica.get(API + "experiments/get", "experiment_id", exp).ok();
            // both answers are cached on the replica now; the changes go through the first server
            String id = token.substring(4, 20);
            alice.post(RouteRules.AUTH + "tokens/revoke", Map.of("token_id", id)).ok();
            alice.post(API + "experiments/permissions/create", Map.of("experiment_id", exp, "username", "rep-bob",
                    "permission", "NO_PERMISSIONS")).ok();
            waitFor(() -> onReplica.get(API + "experiments/get", "experiment_id", exp).status() == 401, "the replica to see the revocation");
            waitFor(() -> bobOnReplica.get(API + "experiments/get", "experiment_id", exp).status() == 403, "the replica to see the grant");
        }
    }

    static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50); // polling interval of the wait, not a timed assertion
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

}
