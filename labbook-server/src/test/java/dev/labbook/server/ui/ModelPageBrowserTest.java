package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The registered model's page in a real browser against a real server: versions' tags and source
 * runs' metrics side by side, an alias moved and deleted from the page (checked on the server),
 * each version linking to its run.
 */
class ModelPageBrowserTest extends BrowserTestBase {
    static final String NAME = "imdb-sentiment";
    static Seed seed;

    @BeforeAll
    static void start() {
        startServer();
        seed = Seed.imdb(rest, 20);
        rest.post("registered-models/create", Map.of("name", NAME));
        for (int i = 0; i < 3; i++) {
            String run = seed.runIds.get(i);
            rest.post("model-versions/create", Map.of("name", NAME, "source", "runs:/" + run + "/model", "run_id", run,
                    "tags", List.of(Map.of("key", "test_accuracy", "value", String.valueOf(0.90 + i / 100.0)),
                            Map.of("key", "flavor", "value", "nblr"))));
        }
        rest.post("registered-models/alias", Map.of("name", NAME, "alias", "champion", "version", "1"));
        openBrowser();
    }

    @Test
    void versionsSideBySideAliasMovedAndDeletedLinksToRuns() {
        browser.open("/models/" + NAME);
        WebElement compare = browser.waitFor("table[aria-label='Version metrics']");
        List<String> heads = compare.findElements(By.cssSelector("thead th")).stream().map(ModelPageBrowserTest::text).toList();
        assertTrue(heads.get(1).startsWith("Version 3") && heads.get(3).startsWith("Version 1 @champion"), heads.toString());
        // the version tags, then the source runs' metrics (accuracy and loss of each run), one column per version
        WebElement acc = compare.findElement(By.cssSelector("tr[data-tag='test_accuracy']"));
        assertEquals(List.of("test_accuracy", "0.92", "0.91", "0.9"), cells(acc));
        WebElement runAcc = compare.findElement(By.cssSelector("tr[data-metric='accuracy']"));
        for (int i = 0; i < 3; i++) {
            double expected = runMetric(seed.runIds.get(2 - i), "accuracy");
            assertEquals(expected, Double.parseDouble(cells(runAcc).get(i + 1)), Math.abs(expected) * 1e-4, cells(runAcc).toString());
        }
        assertTrue(compare.findElements(By.cssSelector("tr[data-metric='loss']")).size() == 1);
        browser.screenshot("model-versions");
        browser.js("arguments[0].scrollIntoView()", compare);
        browser.screenshot("model-metrics");

        // move @champion to version 3 from the page
        WebElement form = browser.waitFor("form[aria-label='Move an alias']");
        form.findElement(By.name("alias")).sendKeys("champion");
        new Select(form.findElement(By.name("version"))).selectByValue("3");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitUntil("document.querySelector('tr#v3 [data-alias=champion]') && !document.querySelector('tr#v1 [data-alias=champion]')");
        assertEquals("3", rest.get("registered-models/alias?name=" + NAME + "&alias=champion").path("model_version").path("version").asText());
        browser.screenshot("model-alias-moved");

        // delete it with the chip's button
        browser.waitFor("tr#v3 [data-alias=champion] button").click();
        browser.waitUntil("!document.querySelector('[data-alias=champion]')");
        JsonNode model = rest.get("registered-models/get?name=" + NAME).path("registered_model");
        assertTrue(!model.has("aliases") || model.get("aliases").isEmpty(), model.toString());

        List<String> errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), "console errors on the model page: " + errors);

        // each version links to its source run
        browser.waitFor("tr#v2 a[href='/runs/" + seed.runIds.get(1) + "']").click();
        browser.waitUntil("location.pathname === '/runs/" + seed.runIds.get(1) + "'");
        browser.waitFor("table[aria-label='Parameters']");
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.cssSelector("th, td")).stream().map(ModelPageBrowserTest::text).toList();
    }

    /** The text as written (the table's CSS upper-cases headers). */
    private static String text(WebElement e) {
        return e.getAttribute("textContent").trim();
    }

    private static double runMetric(String runId, String key) {
        for (JsonNode m : rest.get("runs/get?run_id=" + runId).path("run").path("data").path("metrics")) {
            if (m.path("key").asText().equals(key)) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no metric " + key + " in run " + runId);
    }
}
