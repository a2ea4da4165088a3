package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (headless Chromium) against a real server seeded over the
 * MLflow REST API. One server and one browser for the whole class.
 */
class DashboardBrowserTest extends BrowserTestBase {
    static Seed seed;

    @BeforeAll
    static void start() {
        startServer();
        seed = Seed.imdb(rest, 200);
        openBrowser();
    }



    @Test
    void experimentsListShowsRunCounts() {
        browser.open("/");
        WebElement row = browser.waitFor("tr[data-experiment-id='" + seed.experimentId + "']");
        assertTrue(row.getText().contains(Seed.EXPERIMENT), row.getText());
        assertEquals("8", row.findElements(By.tagName("td")).get(2).getText());
        browser.screenshot("experiments");
    }

    @Test
    void runsTableListsSortsAndFilters() {
        browser.open("/experiments/" + seed.experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '8'");
        assertEquals(8, runNames().size());
        browser.screenshot("runs-table");

        sortBy("lr");
        awaitCell(0, "p:lr", "0.003");
        sortBy("lr");
        awaitCell(0, "p:lr", "0.1");
        assertTrue(browser.driver.getCurrentUrl().contains("sort=p%3Alr%3Adesc")
                || browser.driver.getCurrentUrl().contains("sort=p:lr:desc"), browser.driver.getCurrentUrl());

        browser.waitFor("input.filter").sendKeys("params.model = 'logreg' AND metrics.accuracy > 0.5", Keys.ENTER);
        browser.waitUntil("document.querySelectorAll('.vt-table tbody a').length === 4");
        assertTrue(runNames().stream().allMatch(n -> n.startsWith("logreg")), runNames().toString());
        browser.screenshot("runs-table-filtered");

        // the toolbar may re-render after a search: find the input again rather than keep a stale one
        WebElement filter = browser.waitFor("input.filter");
        filter.clear();
        filter.sendKeys("metrics.accuracy >>> 3", Keys.ENTER);
        WebElement error = browser.waitFor("#filter-error");
        assertTrue(!error.getText().isBlank(), "an inline error");
        assertEquals("true", filter.getAttribute("aria-invalid"));
        assertEquals(4, runNames().size(), "the previous rows stay");
        browser.screenshot("runs-table-filter-error");
        filter = browser.waitFor("input.filter");
        filter.clear();
        filter.sendKeys(Keys.ENTER);
        browser.waitUntil("document.querySelectorAll('.vt-table tbody a').length === 8");

        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.cssSelector("select[aria-label='Group by param']")))
                .selectByValue("model");
        browser.waitUntil("document.querySelectorAll('.vt-table tr.group').length === 2");
        browser.screenshot("runs-table-grouped");
        browser.driver.findElement(By.cssSelector("button.group-toggle[data-group='fasttext']")).click();
        browser.waitUntil("document.querySelectorAll('.vt-table tbody a').length === 4");
    }

    @Test
    void everyRunOfALargeTableIsReachableSortableAndFilterable() {
        int n = 1_500;
        String exp = manyRuns("many-runs", n);
        browser.open("/experiments/" + exp);
        browser.waitUntil("document.body.dataset.runsReady === '" + n + "'");
        long rendered = (Long) browser.js("return document.querySelectorAll('.vt-table tbody tr[data-index]').length");
        assertTrue(rendered < 100, "only the rows in view are in the page: " + rendered);

        // newest first: the last row is the oldest run, reached by scrolling
        scrollToEnd();
        browser.waitUntil("document.querySelector('.vt-table tbody tr[aria-rowindex=\"" + (n + 1) + "\"]') !== null");
        assertEquals("many-0", lastRowName());

        // sorted by a metric (m = (i * 7919 % n) / n): the largest first, the smallest last
        sortBy("m");
        browser.waitUntil("location.search.includes('m%3Am') || location.search.includes('m:m')");
        browser.js("document.querySelector('.vt').scrollTop = 0");
        awaitCell(0, "m:m", "0.99933");
        scrollToEnd();
        browser.waitUntil("document.querySelector('.vt-table tbody tr[aria-rowindex=\"" + (n + 1) + "\"]') !== null");
        assertEquals("many-0", lastRowName(), "m = 0 is the smallest");

        // filtered by the server, still sorted and scrollable to its end: m < 0.1 holds for 150 runs
        browser.waitFor("input.filter").sendKeys("metrics.m < 0.1", Keys.ENTER);
        browser.waitUntil("document.querySelector('.count').textContent === '150 runs'");
        browser.js("document.querySelector('.vt').scrollTop = 0");
        awaitCell(0, "m:m", "0.099333");
        scrollToEnd();
        browser.waitUntil("document.querySelector('.vt-table tbody tr[aria-rowindex=\"151\"]') !== null");
        assertEquals("many-0", lastRowName());
        browser.screenshot("runs-table-many-filtered");
    }

    @Test
    void openTableTakesInOnlyTheChangedRuns() {
        String exp = rest.createExperiment("changing");
        String first = rest.createRun(exp, "first", System.currentTimeMillis() - 60_000);
        String second = rest.createRun(exp, "second", System.currentTimeMillis() - 30_000);
        rest.metric(first, "loss", 0, 3, 0, s -> 1.0 / (1 + s));
        browser.open("/experiments/" + exp);
        browser.waitUntil("document.body.dataset.runsReady === '2'");
        browser.js("window.__notReloaded = true");

        String third = rest.createRun(exp, "third", System.currentTimeMillis());
        rest.metric(second, "accuracy", 0, 2, 0, s -> 0.75);  // a column the table did not have
        rest.post("runs/delete", Map.of("run_id", first));
        browser.waitUntil("document.querySelector('.count').textContent === '2 runs'"
                + " && [...document.querySelectorAll('.vt-table tbody td.sticky a')].map(a => a.textContent).join() === 'third,second'");
        awaitCell(1, "m:accuracy", "0.75");
        rest.finish(third, "FAILED", System.currentTimeMillis());
        browser.waitUntil("document.querySelector('.vt-table tbody tr[data-index=\"0\"] .badge').textContent === 'FAILED'");
        assertEquals(Boolean.TRUE, browser.js("return window.__notReloaded === true"));
        assertEquals(1L, browser.js("return window.__labbook.tableLoads"), "no whole reload, only merges");
        browser.screenshot("runs-table-updated");
    }

    @Test
    void zoomFetchesFinerDetail() {
        String exp = rest.createExperiment("zoom");
        String run = rest.createRun(exp, "long", System.currentTimeMillis());
        rest.metric(run, "loss", 0, 20_000, 0, s -> s == 12_345 ? 10 : Math.sin(s / 100.0));
        rest.finish(run, "FINISHED", System.currentTimeMillis());
        browser.open("/runs/" + run + "#charts");
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.points > 0");
        int before = Integer.parseInt(browser.waitFor("figure[data-metric='loss']").getAttribute("data-points"));
        assertTrue(before <= 1000, "sampled: " + before);
        assertEquals(10.0, ((Number) browser.js("return Math.max(...document.querySelector('figure[data-metric=\"loss\"]').__chart.raw['" + run + "'].val)")).doubleValue(),
                "the spike survives sampling");
        WebElement over = browser.waitFor("figure[data-metric='loss'] .u-over");
        int w = over.getSize().getWidth();
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .moveToElement(over, -w / 2 + w / 10, 0).clickAndHold()
                .moveByOffset(w / 20, 0).release().perform();
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"] figcaption').textContent.includes('zoomed')");
        browser.waitUntil("(() => { const s = document.querySelector('figure[data-metric=\"loss\"]').__chart.raw['" + run + "'].step;"
                + " return s.length > 100 && s[s.length - 1] - s[0] < 3000 && s.every((x, i) => i === 0 || x - s[i - 1] === 1); })()");
        browser.screenshot("run-chart-zoomed");
        browser.js("document.querySelector('figure[data-metric=\"loss\"] .u-over').dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))");
        browser.waitUntil("!document.querySelector('figure[data-metric=\"loss\"] figcaption').textContent.includes('zoomed')"
                + " && document.querySelector('figure[data-metric=\"loss\"]').__chart.raw['" + run + "'].step.at(-1) === 19999");
    }

    @Test
    void runPageChartsShowPoints() {
        String run = seed.runIds.get(0);
        browser.open("/runs/" + run + "#charts");
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.points > 0");
        long points = Long.parseLong(browser.waitFor("figure[data-metric='loss']").getAttribute("data-points"));
        assertEquals(200, points);
        assertTrue(!browser.all("figure[data-metric='loss'] canvas").isEmpty(), "a canvas");
        browser.screenshot("run-charts");
        browser.driver.findElement(By.id("tab-overview")).click();
        browser.waitFor("table[aria-label='Parameters']");
        browser.screenshot("run-overview");
    }

    @Test
    void chartOfRunningRunGrowsWithoutReload() throws Exception {
        String run = rest.createRun(rest.createExperiment("live-updates"), "live", System.currentTimeMillis());
        long t0 = System.currentTimeMillis();
        rest.metric(run, "loss", 0, 10, t0, s -> 1.0 / (1 + s));
        browser.open("/runs/" + run + "#charts");
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.points == 10");
        browser.waitFor(".live");
        browser.js("window.__notReloaded = true");
        rest.metric(run, "loss", 10, 30, t0, s -> 1.0 / (1 + s));
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.points == 30");
        rest.metric(run, "accuracy", 0, 5, t0, s -> s / 10.0);
        browser.waitUntil("document.querySelector('figure[data-metric=\"accuracy\"]')?.dataset.points == 5");
        assertEquals(Boolean.TRUE, browser.js("return window.__notReloaded === true"));
        browser.screenshot("run-live");
        rest.finish(run, "FINISHED", System.currentTimeMillis());
        browser.waitUntil("document.querySelector('.live') === null && document.querySelector('.page-head .badge').textContent === 'FINISHED'");
    }

    @Test
    void compareShowsTheSelectedRuns() {
        browser.open("/experiments/" + seed.experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '8'");
        List<WebElement> boxes = browser.all(".vt-table tbody input.select");
        for (int i = 0; i < 3; i++) {
            boxes.get(i).click();
        }
        List<String> chosen = runNames().subList(0, 3);
        WebElement compare = browser.driver.findElement(By.xpath("//button[starts-with(normalize-space(.), 'Compare')]"));
        assertEquals("Compare (3)", compare.getText());
        compare.click();
        browser.waitUntil("location.pathname === '/compare'");
        browser.waitFor(".run-chips");
        List<String> shown = browser.all(".run-chips a").stream().map(WebElement::getText).collect(Collectors.toList());
        assertEquals(chosen.stream().sorted().collect(Collectors.toList()), shown.stream().sorted().collect(Collectors.toList()));
        browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.points > 0");
        browser.waitUntil("document.querySelectorAll('.echart canvas').length === 3");
        WebElement lrRow = browser.driver.findElement(By.xpath("//table[@aria-label='Differences between runs']//tr[th[normalize-space(.)='lr']]"));
        assertTrue(lrRow.getAttribute("class").contains("differs"));
        browser.screenshot("compare");
        browser.js("document.getElementById('sec-parallel').scrollIntoView()");
        browser.screenshot("compare-parallel");
    }

    @Test
    void artifactsPreviewImagesAndTables() throws Exception {
        String run = seed.runIds.get(1);
        rest.artifact(run, "plots/confusion_matrix.png", png());
        rest.artifact(run, "eval/predictions.csv", "id,label,score\n1,pos,0.93\n2,neg,0.12\n3,\"pos, surely\",0.88\n".getBytes());
        rest.artifact(run, "config.json", "{\"lr\": 0.03, \"epochs\": 3}".getBytes());
        browser.open("/runs/" + run + "#artifacts");
        browser.waitFor("button.tree-item[data-path='plots']").click();
        browser.waitFor("button.tree-item[data-path='plots/confusion_matrix.png']").click();
        browser.waitUntil("document.querySelector('img.artifact-image')?.complete && document.querySelector('img.artifact-image').naturalWidth === 240");
        browser.screenshot("run-artifact-image");
        browser.waitFor("button.tree-item[data-path='eval']").click();
        browser.waitFor("button.tree-item[data-path='eval/predictions.csv']").click();
        WebElement table = browser.waitFor("table[aria-label='Table preview']");
        assertEquals(3, table.findElements(By.cssSelector("tbody tr")).size());
        assertTrue(table.getText().contains("pos, surely"), table.getText());
        browser.screenshot("run-artifact-csv");
    }

    @Test
    void modelsLinkToTheirSourceRuns() {
        String run = seed.runIds.get(2);
        rest.post("registered-models/create", Map.of("name", "imdb-classifier", "description", "Sentiment of movie reviews",
                "tags", List.of(Map.of("key", "task", "value", "sentiment"))));
        rest.post("model-versions/create", Map.of("name", "imdb-classifier", "source", "runs:/" + run + "/model", "run_id", run));
        rest.post("model-versions/create", Map.of("name", "imdb-classifier", "source", "runs:/" + seed.runIds.get(3) + "/model",
                "run_id", seed.runIds.get(3)));
        rest.post("registered-models/alias", Map.of("name", "imdb-classifier", "alias", "champion", "version", "1"));
        browser.open("/models");
        WebElement link = browser.waitFor("a[href='/models/imdb-classifier']");
        WebElement row = link.findElement(By.xpath("./ancestor::tr"));
        assertTrue(row.getText().contains("@champion"), row.getText());
        assertTrue(row.getText().contains("Version 2"), row.getText());
        browser.screenshot("models");
        link.click();
        WebElement v1 = browser.waitFor("tr#v1");
        assertTrue(v1.getText().contains("@champion"), v1.getText());
        v1.findElement(By.cssSelector("a[href='/runs/" + run + "']")).click();
        browser.waitUntil("location.pathname === '/runs/" + run + "'");
        browser.waitFor("table[aria-label='Parameters']");
        browser.open("/models/imdb-classifier");
        browser.waitFor("tr#v2");
        browser.screenshot("model");
    }

    /** A small bar-chart PNG drawn with AWT. */
    private static byte[] png() throws java.io.IOException {
        System.setProperty("java.awt.headless", "true");
        var img = new java.awt.image.BufferedImage(240, 160, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 240, 160);
        int[] bars = {120, 20, 30, 110};
        java.awt.Color[] colors = {new java.awt.Color(56, 103, 214), new java.awt.Color(225, 112, 58)};
        for (int i = 0; i < bars.length; i++) {
            g.setColor(colors[i % 2]);
            g.fillRect(20 + i * 55, 150 - bars[i], 40, bars[i]);
        }
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * An experiment of {@code n} finished runs named many-0 (oldest) to many-(n-1), each with a
     * param and one metric m = (i * 7919 mod n) / n, written through the store (fast).
     */
    private static String manyRuns(String name, int n) {
        var store = server.trackingStore();
        String exp = store.createExperiment(name, null, List.of());
        long t0 = System.currentTimeMillis() - n * 1000L;
        for (int i = 0; i < n; i++) {
            String run = store.createRun(new dev.labbook.store.NewRun(exp, "ada", t0 + i * 1000L, "many-" + i, List.of())).runId();
            store.logBatch(run, List.of(new dev.labbook.core.model.Metric("m", (i * 7919L % n) / (double) n, t0, 1)),
                    List.of(new dev.labbook.core.model.Param("group", Integer.toString(i % 5))), List.of());
            store.updateRun(run, dev.labbook.core.model.RunStatus.FINISHED, t0 + i * 1000L + 500, null);
        }
        return exp;
    }

    private static void scrollToEnd() {
        browser.js("const v = document.querySelector('.vt'); v.scrollTop = v.scrollHeight;");
    }

    /** The run name of the last row in the page (after scrolling to the end: the table's last). */
    private static String lastRowName() {
        return (String) browser.js("const rows = document.querySelectorAll('.vt-table tbody tr[data-index]');"
                + " return rows[rows.length - 1].querySelector('td.sticky a').textContent.trim();");
    }

    /** The run names of the visible rows, read in one script so a re-render cannot leave stale elements. */
    @SuppressWarnings("unchecked")
    private static List<String> runNames() {
        return (List<String>) browser.js(
                "return [...document.querySelectorAll('.vt-table tbody td.sticky a')].map(a => a.textContent.trim());");
    }

    /** Waits until the cell shows {@code expected}: sorting re-renders the table. */
    private static void awaitCell(int row, String column, String expected) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> expected.equals(cell(row, column)));
        assertEquals(expected, cell(row, column));
    }

    private static void sortBy(String label) {
        browser.driver.findElement(By.cssSelector("button.sort[aria-label='Sort by " + label + "']")).click();
    }

    /** The text of a cell of the given visible row, by column id. */
    private static String cell(int row, String column) {
        return (String) browser.js("""
                const cols = [...document.querySelectorAll('.vt-table thead tr:last-child th')];
                const i = cols.findIndex(th => th.querySelector('button.sort')?.getAttribute('aria-label') === 'Sort by ' + arguments[1].slice(2));
                const tr = document.querySelectorAll('.vt-table tbody tr[data-index]')[arguments[0]];
                return tr.cells[i].textContent;""", row, column);
    }

}
