package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.auth.AuthConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard with access control on, in Chromium: signing in (and being sent to sign in),
 * the user and sign-out in the header, sharing an experiment read-only with another team through
 * the Share panel, that team's member seeing it with the controls they may not use disabled and
 * saying why, and the admin page creating a token shown once.
 */
class AuthBrowserTest {
    private static final String API = "/api/2.0/mlflow/";
    private static final String ADMIN_PASSWORD = "browser-admin-pass";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static LabbookServer server;
    static String base;
    static Browser browser;
    static String experimentId;

    @BeforeAll
    static void start() throws Exception {
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir)
                .withAuth(AuthConfig.OFF.on().withAdminPassword(ADMIN_PASSWORD)
                        .withDefaultPermission(dev.labbook.store.auth.Permission.NO_PERMISSIONS)));
        base = "http://127.0.0.1:" + server.port();
        for (String u : List.of("alice", "bob")) {
            call("admin", ADMIN_PASSWORD, "POST", API + "users/create", Map.of("username", u, "password", u + "-pass"));
        }
        call("admin", ADMIN_PASSWORD, "POST", "/api/labbook/auth/teams/create", Map.of("name", "vision"));
        call("admin", ADMIN_PASSWORD, "POST", "/api/labbook/auth/teams/create", Map.of("name", "audio"));
        call("admin", ADMIN_PASSWORD, "POST", "/api/labbook/auth/teams/add-member", Map.of("team", "vision", "username", "alice"));
        call("admin", ADMIN_PASSWORD, "POST", "/api/labbook/auth/teams/add-member", Map.of("team", "audio", "username", "bob"));
        experimentId = call("alice", "alice-pass", "POST", API + "experiments/create", Map.of("name", "vision-exp"))
                .get("experiment_id").asText();
        call("alice", "alice-pass", "POST", API + "runs/create", Map.of("experiment_id", experimentId, "run_name", "r1"));
        browser = new Browser(base);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aTeamSharesAnExperimentReadOnlyWithAnotherTeam() {
        // not signed in: the experiment's address leads to the sign-in, then back
        browser.open("/experiments/" + experimentId);
        browser.waitUntil("location.pathname === '/login'");
        signIn("alice", "alice-pass");
        browser.waitUntil("location.pathname === '/experiments/" + experimentId + "'");
        browser.waitUntil("document.querySelector('#userbox .user') && document.querySelector('#userbox .user').textContent === 'alice'");
        browser.waitFor(".share-btn").click();
        browser.waitFor("dialog.share");
        new Select(browser.driver.findElement(By.cssSelector("dialog.share select[name=kind]"))).selectByValue("team");
        browser.driver.findElement(By.cssSelector("dialog.share input[name=who]")).sendKeys("audio");
        new Select(browser.driver.findElement(By.cssSelector("dialog.share select[name=permission]"))).selectByValue("READ");
        browser.driver.findElement(By.cssSelector("dialog.share button[type=submit]")).click();
        browser.waitUntil("[...document.querySelectorAll('dialog.share ul.grants li')].some(li => li.textContent.includes('team audio') && li.textContent.includes('READ'))");
        browser.driver.findElement(By.cssSelector("dialog.share .actions button")).click();
        browser.waitFor("#userbox .signout").click();
        browser.waitUntil("location.pathname === '/login'");

        // bob, of the audio team, now reads the experiment: no Share, and Delete says why not
        signIn("bob", "bob-pass");
        browser.waitUntil("location.pathname === '/'");
        browser.waitUntil("document.body.textContent.includes('vision-exp')");
        browser.open("/experiments/" + experimentId);
        browser.waitUntil("document.querySelector('input.select') !== null");
        assertTrue(browser.all(".share-btn").isEmpty(), "only those who manage the experiment share it");
        browser.driver.findElement(By.cssSelector("input.select")).click();
        browser.waitUntil("[...document.querySelectorAll('button')].some(b => b.textContent === 'Delete' && b.disabled && b.title.includes('READ'))");
        browser.waitFor("#userbox .signout").click();
        browser.waitUntil("location.pathname === '/login'");
        browser.screenshot("auth-signed-out");
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theAdminPageCreatesATokenShownOnce() throws Exception {
        browser.open("/login?next=/admin");
        signIn("admin", ADMIN_PASSWORD);
        browser.waitUntil("location.pathname === '/admin'");
        browser.waitUntil("document.querySelector('#admin-users tr[data-user=alice]') !== null");
        browser.waitUntil("document.querySelector('#admin-teams li[data-team=vision]') !== null");
        browser.waitFor("#admin-tokens input[name=name]").sendKeys("notebook");
        browser.driver.findElement(By.cssSelector("#admin-tokens input[name=read_only]")).click();
        browser.driver.findElement(By.cssSelector("#admin-tokens button[type=submit]")).click();
        browser.waitUntil("document.querySelector('#admin-tokens .token-value') !== null");
        String token = browser.driver.findElement(By.cssSelector("#admin-tokens .token-value")).getText();
        assertTrue(token.startsWith("lbk_"), token);
        // the token works for scripts, read-only
        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(base + API + "experiments/search?max_results=10"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        browser.waitFor("#userbox .signout").click();
        browser.waitUntil("location.pathname === '/login'");
        assertEquals(List.of(), browser.consoleErrors());
    }

    private static void signIn(String user, String password) {
        browser.waitFor("#login-user").sendKeys(user);
        browser.driver.findElement(By.cssSelector("#login-pass")).sendKeys(password);
        browser.driver.findElement(By.cssSelector("form.login button[type=submit]")).click();
    }

    private static JsonNode call(String user, String password, String method, String path, Object body) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
