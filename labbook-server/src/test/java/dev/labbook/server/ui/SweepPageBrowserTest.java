package dev.labbook.server.ui;

import dev.labbook.server.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The sweep page in a real browser: trials, best so far, and the link from a trial's run. */
class SweepPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private JsonNode post(String base, String endpoint, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/labbook/sweeps/" + endpoint))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void showsTrialsBestSoFarAndIsLinkedFromTrialRuns() throws Exception {
        try (LabbookServer server = LabbookServer.start(TestConfigs.embedded("127.0.0.1", 0, dir))) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode sweep = post(base, "create", Map.of("config", """
                    name: page-sweep
                    method: grid
                    metric: {name: acc, goal: maximize}
                    early_terminate: {type: asha, grace_period: 1, reduction_factor: 2, max_t: 8}
                    parameters: {x: {values: [0.7, 0.9, 0.1]}}
                    """)).get("sweep");
            String id = sweep.get("sweep_id").asText();
            String prunedRun = null;
            for (int i = 0; i < 3; i++) {
                JsonNode t = post(base, "claim", Map.of("sweep_id", id, "agent_id", "a")).get("trial");
                double x = t.at("/params/x").asDouble();
                boolean prune = post(base, "report", Map.of("trial_id", t.get("trial_id").asText(), "agent_id", "a",
                        "step", 1, "value", x)).get("prune").asBoolean();
                post(base, "finish", Map.of("trial_id", t.get("trial_id").asText(), "agent_id", "a",
                        "state", prune ? "PRUNED" : "COMPLETE"));
                if (prune) {
                    prunedRun = t.get("run_id").asText();
                }
            }
            try (Browser browser = new Browser(base)) {
                browser.open("/sweeps/" + id);
                browser.waitUntil("document.body.dataset.sweepReady === '3'");
                assertEquals("FINISHED", browser.waitFor("[data-sweep-state]").getText());
                List<WebElement> rows = browser.all("tr[data-trial]");
                assertEquals(3, rows.size());
                assertEquals("PRUNED", rows.get(2).getAttribute("data-state"), "x=0.1 is below both others at rung 1");
                assertTrue(rows.get(2).getText().contains("0.1"), rows.get(2).getText());
                assertEquals("0.9", browser.waitFor("[data-best]").getAttribute("data-best"));
                assertEquals(2, browser.all("svg.sweep-chart circle").size(), "one point per complete trial");

                browser.screenshot("sweep-page");
                List<String> sweepPageErrors = browser.consoleErrors(); // reading the log empties it
                assertTrue(sweepPageErrors.isEmpty(), "console errors: " + sweepPageErrors);

                browser.open("/runs/" + prunedRun);
                WebElement link = browser.waitFor("[data-sweep-link]");
                assertTrue(link.getText().startsWith(id + " (trial 2)"), link.getText());
                link.click();
                browser.waitUntil("location.pathname === arguments[0] && document.body.dataset.sweepReady === '3'", "/sweeps/" + id);
                List<String> errors = browser.consoleErrors();
                assertTrue(errors.isEmpty(), "console errors: " + errors);
            }
        }
    }
}
