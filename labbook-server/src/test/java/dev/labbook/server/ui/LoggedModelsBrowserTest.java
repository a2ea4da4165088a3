package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Models section of an experiment, a logged model's page and the run page's logged models,
 * in a real browser, over models created as an MLflow 3 client creates them (logged-models,
 * files through the artifact proxy, finalize, metrics with model_id, runs/outputs).
 */
class LoggedModelsBrowserTest extends BrowserTestBase {
    static String experimentId;
    static String runId;
    static String bestId;
    static String otherId;

    @BeforeAll
    static void start() {
        startServer();
        experimentId = rest.createExperiment("sentiment-models");
        runId = rest.createRun(experimentId, "nblr-c1.0", System.currentTimeMillis() - 60_000);
        bestId = model("sentiment-nblr", "nblr", "1.0", 0.9168);
        otherId = model("sentiment-fasttext", "fasttext", "0.01", 0.9056);
        rest.post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", bestId, "step", 0))));
        rest.finish(runId, "FINISHED", System.currentTimeMillis());
        openBrowser();
    }

    /** A READY logged model of the run with an MLmodel file, a param and a test accuracy. */
    static String model(String name, String type, String c, double accuracy) {
        JsonNode created = rest.post("logged-models", Map.of("experiment_id", experimentId, "name", name, "model_type", type,
                "source_run_id", runId, "params", List.of(Map.of("key", "c", "value", c))));
        String id = created.path("model").path("info").path("model_id").asText();
        String uri = created.path("model").path("info").path("artifact_uri").asText();
        rest.upload(uri, "MLmodel", ("{\"flavors\": {\"labbook\": {\"flavor\": \"" + type + "\"}}}").getBytes(StandardCharsets.UTF_8));
        rest.post("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(Map.of("key", "test_accuracy", "value", accuracy,
                "timestamp", System.currentTimeMillis(), "step", 0, "model_id", id, "dataset_name", "imdb-test"))));
        rest.send("PATCH", "logged-models/" + id, Map.of("model_id", id, "status", "LOGGED_MODEL_READY"));
        return id;
    }



    @Test
    void experimentModelsListTheirMetricsAndOpenTheirPage() {
        browser.open("/experiments/" + experimentId + "/models");
        browser.waitUntil("document.querySelectorAll('table[aria-label=\"Logged models\"] tbody tr').length === 2");
        WebElement best = browser.waitFor("tr[data-model-id='" + bestId + "']");
        assertTrue(best.getText().contains("sentiment-nblr"), best.getText());
        assertTrue(best.getText().contains("READY"), best.getText());
        assertTrue(best.getText().contains("0.9168"), "the metric column: " + best.getText());
        assertTrue(best.getText().contains("nblr-c1.0"), "the source run by name: " + best.getText());
        assertEquals("page", browser.waitFor(".subnav a[data-section='models']").getAttribute("aria-current"));
        browser.screenshot("logged-models");

        // a filter in MLflow's grammar narrows the list
        WebElement filter = browser.waitFor("input.filter");
        filter.sendKeys("metrics.test_accuracy > 0.91");
        filter.submit();
        browser.waitUntil("document.querySelectorAll('table[aria-label=\"Logged models\"] tbody tr').length === 1");

        best = browser.waitFor("tr[data-model-id='" + bestId + "']");
        best.findElement(By.cssSelector("td a")).click();
        browser.waitUntil("location.pathname.endsWith(arguments[0])", "/models/" + bestId);
        WebElement metrics = browser.waitFor("table[aria-label='Model metrics']");
        assertTrue(metrics.getText().contains("test_accuracy") && metrics.getText().contains("imdb-test"), metrics.getText());
        assertTrue(browser.waitFor("table[aria-label='Parameters']").getText().contains("1.0"));
        WebElement file = browser.waitFor(".tree-item.file[data-path='MLmodel']");
        file.click();
        browser.waitUntil("document.querySelector('.preview-body pre') && document.querySelector('.preview-body pre').textContent.includes('flavors')");
        browser.screenshot("logged-model");
    }

    @Test
    void runPageListsItsLoggedModels() {
        browser.open("/runs/" + runId);
        WebElement table = browser.waitFor("table[aria-label='Logged models of this run']");
        browser.waitUntil("document.querySelectorAll('table[aria-label=\"Logged models of this run\"] tbody tr').length === 2");
        assertTrue(table.getText().contains("sentiment-nblr") && table.getText().contains("sentiment-fasttext"), table.getText());
        browser.screenshot("run-logged-models");
    }
}
