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

    /**
     * A random sweep with a conditional parameter and the median pruner, whose metric depends on
     * x only: parallel coordinates draw one line per complete trial over every parameter, x ranks
     * first by importance, every trial's reports are a curve with the pruned ones crossed, and the
     * runs table filtered to the trials links back to the sweep.
     */
    @Test
    void showsParallelCoordinatesImportanceAndPruningCurves() throws Exception {
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir))) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode sweep = post(base, "create", Map.of("config", """
                    name: insight-sweep
                    method: random
                    seed: 5
                    run_cap: 14
                    metric: {name: acc, goal: maximize}
                    early_terminate: {type: median, n_startup_trials: 5}
                    parameters:
                      x: {min: 0.0, max: 1.0}
                      noise: {min: 0.0, max: 1.0}
                      opt:
                        values:
                          - value: sgd
                            parameters: {momentum: {min: 0.0, max: 0.9}}
                          - adam
                    """)).get("sweep");
            String id = sweep.get("sweep_id").asText();
            int pruned = 0;
            for (int i = 0; i < 14; i++) {
                JsonNode t = post(base, "claim", Map.of("sweep_id", id, "agent_id", "a")).get("trial");
                double x = t.at("/params/x").asDouble();
                String trial = t.get("trial_id").asText();
                boolean prune = false;
                for (int step = 1; step <= 4 && !prune; step++) {
                    prune = post(base, "report", Map.of("trial_id", trial, "agent_id", "a", "step", step, "value", x * step / 4))
                            .get("prune").asBoolean();
                }
                pruned += prune ? 1 : 0;
                post(base, "finish", Map.of("trial_id", trial, "agent_id", "a", "state", prune ? "PRUNED" : "COMPLETE"));
            }
            assertTrue(pruned > 0 && pruned < 10, "some trials pruned: " + pruned);
            try (Browser browser = new Browser(base)) {
                browser.open("/sweeps/" + id);
                browser.waitUntil("document.body.dataset.sweepReady === '14' && document.querySelector('tr[data-param]') !== null");
                assertEquals(14 - pruned, browser.all("svg.sweep-parallel polyline").size(), "one line per complete trial");
                List<String> axes = browser.all("svg.sweep-parallel [data-axis]").stream().map(e -> e.getAttribute("data-axis")).toList();
                assertEquals(List.of("x", "noise", "opt", "momentum", "acc"), axes.stream().sorted(
                        java.util.Comparator.comparingInt(List.of("x", "noise", "opt", "momentum", "acc")::indexOf)).toList());
                assertEquals(5, axes.size(), axes.toString());
                List<WebElement> importance = browser.all("tr[data-param]");
                assertEquals("x", importance.get(0).getAttribute("data-param"), "the parameter the metric depends on ranks first");
                assertTrue(Double.parseDouble(importance.get(0).getAttribute("data-importance")) > 0.5,
                        importance.get(0).getAttribute("data-importance"));
                assertEquals(14, browser.all("svg.sweep-curves polyline").size(), "a curve per trial");
                assertEquals(pruned, browser.all("svg.sweep-curves [data-pruned]").size(), "every pruned trial crossed");
                assertEquals(pruned, browser.all("svg.sweep-curves polyline[data-state=PRUNED]").size());
                browser.screenshot("sweep-page-insights");
                browser.js("arguments[0].scrollIntoView()", browser.waitFor("svg.sweep-parallel"));
                browser.screenshot("sweep-page-parallel");
                browser.js("arguments[0].scrollIntoView()", browser.waitFor("tr[data-param]"));
                browser.screenshot("sweep-page-importance-curves");
                List<String> errors = browser.consoleErrors();
                assertTrue(errors.isEmpty(), "console errors: " + errors);

                browser.js("window.scrollTo(0, 0)");
                browser.waitFor("[data-trials-link]").click();
                browser.waitUntil("document.body.dataset.runsReady === '14'");
                assertTrue(((String) browser.js("return location.search")).contains("parentRunId"));
                browser.screenshot("sweep-trials-in-runs-table");
                browser.waitFor("[data-sweep='" + id + "']").click();
                browser.waitUntil("location.pathname === arguments[0] && document.body.dataset.sweepReady === '14'", "/sweeps/" + id);
                errors = browser.consoleErrors();
                assertTrue(errors.isEmpty(), "console errors: " + errors);
            }
        }
    }
}
