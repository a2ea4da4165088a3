package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 12 in a real browser: every metric has a visible mark, the primary metric leads, charts
 * are in sections with pins, the experiment's Charts view, exports. Runs shaped like those of
 * {@code labbook quickstart} ({@link QuickstartSeed}).
 */
class CompareBrowserTest extends BrowserTestBase {
    static QuickstartSeed seed;

    @BeforeAll
    static void start() {
        startServer();
        seed = QuickstartSeed.create(rest, "quickstart");
        openBrowser();
    }



    private static String compareUrl() {
        return "/compare?runs=" + String.join(",", seed.runIds);
    }

    @Test
    void oneValuePerRunIsABarPerRunAndFewPointsAreDrawn() {
        browser.open(compareUrl());
        // the guessed primary metric (test_accuracy) leads: first chart, bars of four runs, best starred
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure.chart')?.dataset.kind === 'bars'");
        assertEquals("test_accuracy", browser.js("return document.querySelector('.chart-section figure.chart').dataset.metric"));
        assertEquals(4L, browser.js("return document.querySelectorAll('figure[data-metric=\"test_accuracy\"] svg.bars g.bar').length"));
        assertEquals(seed.runIds.get(1), browser.js("return document.querySelector('figure[data-metric=\"test_accuracy\"] g.bar.best').dataset.run"));
        String labels = (String) browser.js("return [...document.querySelectorAll('figure[data-metric=\"test_accuracy\"] g.bar text')].map(t => t.textContent).join('|')");
        assertTrue(labels.contains("★ 0.897") && labels.contains("0.861"), labels);
        assertTrue(browser.all(".run-chips li.best").size() == 1, "the best run is marked in the legend");

        // every one-point metric is bars; loading them as they scroll into view
        for (String k : List.of("test_f1", "eval_seconds", "vocabulary_size")) {
            browser.js("document.querySelector('figure[data-metric=\"" + k + "\"]').scrollIntoView()");
            browser.waitUntil("document.querySelector('figure[data-metric=\"" + k + "\"]').dataset.kind === 'bars'");
        }
        String vocab = (String) browser.js("return [...document.querySelectorAll('figure[data-metric=\"vocabulary_size\"] g.bar text')].map(t => t.textContent).join('|')");
        assertTrue(vocab.contains("145,207"), vocab);

        // a series of three points draws its points (a line chart whose points are shown)
        browser.js("document.querySelector('figure[data-metric=\"train_loss\"]').scrollIntoView()");
        browser.waitUntil("document.querySelector('figure[data-metric=\"train_loss\"]').dataset.points === '12'");
        assertEquals("line", browser.js("return document.querySelector('figure[data-metric=\"train_loss\"]').dataset.kind"));
        assertEquals(Boolean.TRUE, browser.js("const c = document.querySelector('figure[data-metric=\"train_loss\"]').__chart;"
                + " return c.plot.series.slice(1).every((s, i) => s.points.show(c.plot, i + 1) === true)"));
        // a lone point beside long series is drawn as a point
        browser.js("document.querySelector('figure[data-metric=\"val_loss\"]').scrollIntoView()");
        browser.waitUntil("document.querySelector('figure[data-metric=\"val_loss\"]').dataset.points === '202'");
        assertEquals(List.of(true, true, false, false), browser.js("const u = document.querySelector('figure[data-metric=\"val_loss\"]').__chart.plot;"
                + " return u.series.slice(1).map((s, i) => s.points.show(u, i + 1) === true)"));
        // the y axis is wide enough for its labels: 145,207 is the longest of vocabulary_size's
        browser.js("document.getElementById('sec-bars').scrollIntoView()");
        browser.waitUntil("document.querySelector('#sec-bars .echart')?.dataset.metric === 'test_accuracy'");
        assertEquals(seed.runIds.get(1), browser.js("return document.querySelector('#sec-bars .echart').dataset.best"));
        browser.js("window.scrollTo(0, 0)");
        browser.screenshot("issue12-compare-values");
        browser.js("document.querySelector('figure[data-metric=\"train_loss\"]').scrollIntoView()");
        browser.screenshot("issue12-compare-few-points");
        browser.js("document.querySelector('figure[data-metric=\"val_loss\"]').scrollIntoView()");
        browser.screenshot("issue12-compare-lone-points");
        browser.js("document.getElementById('sec-parallel').scrollIntoView()");
        browser.screenshot("issue12-compare-parallel");
        browser.js("document.getElementById('sec-bars').scrollIntoView()");
        browser.screenshot("issue12-compare-final-bars");
    }

    @Test
    void runPageShowsValueCards() {
        browser.open("/runs/" + seed.runIds.get(0) + "#charts");
        browser.waitUntil("document.querySelector('figure[data-metric=\"test_accuracy\"]')?.dataset.kind === 'card'");
        assertEquals("0.861", browser.js("return document.querySelector('figure[data-metric=\"test_accuracy\"] .value-card .big').textContent"));
        browser.js("document.querySelector('figure[data-metric=\"vocabulary_size\"]').scrollIntoView()");
        browser.waitUntil("document.querySelector('figure[data-metric=\"vocabulary_size\"]').dataset.kind === 'card'");
        assertEquals("145,207", browser.js("return document.querySelector('figure[data-metric=\"vocabulary_size\"] .big').textContent"));
        browser.js("window.scrollTo(0, 0)");
        browser.screenshot("issue12-run-value-cards");
    }

    @Test
    void runsTableLeadsWithThePrimaryMetricWhichCanBeChanged() {
        browser.open("/experiments/" + seed.experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '4'");
        // sorted by the guessed primary metric, best first and starred; pinned beside the name
        assertEquals(List.of("nblr-c1.0-ng2", "fasttext-lr0.3-e3", "fasttext-lr0.1-e3", "nblr-c1.0-ng1"), names());
        assertEquals(1L, browser.js("return document.querySelectorAll('.vt-table tbody tr[data-index=\"0\"] .best-star').length"));
        assertEquals(List.of("Run name", "test_accuracy"), browser.js("return [...document.querySelectorAll('.vt-table thead tr:last-child th.sticky button.sort .label')].map(s => s.textContent)"));
        // metrics before params, in column groups
        assertEquals(List.of("Pinned", "Run", "Metrics", "Params"), browser.js("return [...document.querySelectorAll('.vt-table thead tr.col-groups th')].map(t => t.dataset.group)"));
        assertEquals("test_accuracy", new Select(browser.waitFor("select[aria-label='Primary metric']")).getFirstSelectedOption().getText());
        browser.screenshot("issue12-runs-primary");

        // choosing another primary metric saves it on the experiment and re-sorts (train_loss: lowest first)
        new Select(browser.waitFor("select[aria-label='Primary metric']")).selectByValue("train_loss");
        browser.waitUntil("[...document.querySelectorAll('.vt-table tbody td.sticky a')][0]?.textContent === 'fasttext-lr0.3-e3'");
        Map<String, String> tags = experimentTags();
        assertEquals("train_loss", tags.get("labbook.primary_metric"));
        assertEquals("minimize", tags.get("labbook.primary_goal"));
        browser.screenshot("issue12-runs-primary-changed");

        // the view as CSV: the rows in their order, the columns in view
        browser.driver.findElement(By.xpath("//button[normalize-space(.)='CSV']")).click();
        browser.waitUntil("window.__labbookDownloads?.some(d => d.name.endsWith('.csv'))");
        String csv = (String) browser.driver.executeAsyncScript(
                "const done = arguments[0]; window.__labbookDownloads.filter(d => d.name.endsWith('.csv')).at(-1).blob.text().then(done);");
        String[] lines = csv.split("\n");
        assertTrue(lines[0].startsWith("run_id,Run name,metrics.train_loss,"), lines[0]);
        assertEquals(5, lines.length, csv);
        assertTrue(lines[1].contains("fasttext-lr0.3-e3"), lines[1]);
        rest.post("experiments/set-experiment-tag", Map.of("experiment_id", seed.experimentId, "key", "labbook.primary_metric", "value", "test_accuracy"));
        rest.post("experiments/set-experiment-tag", Map.of("experiment_id", seed.experimentId, "key", "labbook.primary_goal", "value", "maximize"));
    }

    @Test
    void chartSectionsCollapseSearchAndKeepPins() {
        browser.open(compareUrl());
        browser.waitFor(".chart-section[data-section='train'] figure[data-metric='train_loss']");
        assertEquals(List.of("pinned", "train", "val", "test", "system", "other"),
                browser.js("return [...document.querySelectorAll('.chart-section:not([hidden])')].map(s => s.dataset.section)"));
        // search: only matching charts, empty sections hidden
        browser.waitFor("input[aria-label='Filter metrics']").sendKeys("loss");
        browser.waitUntil("[...document.querySelectorAll('figure.chart:not([hidden])')].map(f => f.dataset.metric).join() === 'train_loss,val_loss,batch_loss'");
        browser.waitFor("input[aria-label='Filter metrics']").clear();
        browser.js("const i = document.querySelector('input[aria-label=\"Filter metrics\"]'); i.value = ''; i.dispatchEvent(new Event('input'));");
        // pin vocabulary_size: it moves to the top section and stays there after a reload
        browser.js("document.querySelector('button.pin[aria-label=\"Pin vocabulary_size\"]').click()");
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure[data-metric=\"vocabulary_size\"]') !== null");
        // collapse the system section: it stays collapsed
        browser.js("document.querySelector('.chart-section[data-section=\"system\"] > summary').click()");
        browser.waitUntil("!document.querySelector('.chart-section[data-section=\"system\"]').open");
        browser.open(compareUrl());
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure[data-metric=\"vocabulary_size\"]') !== null");
        assertEquals(List.of("test_accuracy", "vocabulary_size"),
                browser.js("return [...document.querySelectorAll('.chart-section[data-section=\"pinned\"] figure')].map(f => f.dataset.metric)"));
        assertEquals(Boolean.FALSE, browser.js("return document.querySelector('.chart-section[data-section=\"system\"]').open"));
        // the run page of the same experiment shares the pins
        browser.open("/runs/" + seed.runIds.get(2) + "#charts");
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure[data-metric=\"vocabulary_size\"]') !== null");
        browser.screenshot("issue12-run-sections");
        // the run page's address carries its pins: pinning there adds them, a shared link adopts them
        browser.js("document.querySelector('button.pin[aria-label=\"Pin train_loss\"]').click()");
        browser.waitUntil("(new URLSearchParams(location.search).get('pins') || '').split(',').sort().join() === 'train_loss,vocabulary_size'");
        browser.open("/runs/" + seed.runIds.get(2) + "?pins=train_loss#charts");
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure[data-metric=\"train_loss\"]') !== null");
        assertEquals(List.of("test_accuracy", "train_loss"),
                browser.js("return [...document.querySelectorAll('.chart-section[data-section=\"pinned\"] figure')].map(f => f.dataset.metric)"));
        browser.js("document.querySelector('button.pin[aria-label=\"Pin train_loss\"]').click()");
        browser.waitUntil("new URLSearchParams(location.search).get('pins') === null && location.hash === '#charts'");
        browser.js("document.querySelector('.chart-section[data-section=\"system\"] > summary')?.click()");
    }

    @Test
    void everyChartExportsPngSvgAndCsv() {
        browser.open(compareUrl());
        browser.waitUntil("document.querySelector('figure[data-metric=\"test_accuracy\"]')?.dataset.kind === 'bars'");
        browser.js("document.querySelector('figure[data-metric=\"train_loss\"]').scrollIntoView()");
        browser.waitUntil("document.querySelector('figure[data-metric=\"train_loss\"]').dataset.points === '12'");
        for (String metric : List.of("test_accuracy", "train_loss")) {
            for (String kind : List.of("png", "svg", "csv")) {
                browser.js("document.querySelector('figure[data-metric=\"" + metric + "\"] button[data-export=\"" + kind + "\"]').click()");
                browser.waitUntil("window.__labbookDownloads?.some(d => d.name === '" + metric + "." + kind + "' && d.size > 100)");
            }
        }
        String svg = download("test_accuracy.svg");
        assertTrue(svg.startsWith("<svg") && svg.contains("0.897"), svg);
        String lineSvg = download("train_loss.svg");
        assertTrue(lineSvg.contains("<path") && lineSvg.contains("train_loss"), lineSvg);
        String csv = download("train_loss.csv");
        assertEquals(13, csv.split("\n").length, csv);
        assertTrue(csv.startsWith("run_id,run_name,metric,step,timestamp,value"), csv);
        assertEquals("image/png", browser.js("return window.__labbookDownloads.find(d => d.name === 'train_loss.png').type"));
        // the ECharts panels too
        browser.js("document.getElementById('sec-bars').scrollIntoView()");
        browser.waitUntil("document.querySelector('#sec-bars .echart')?.dataset.metric === 'test_accuracy'");
        for (String kind : List.of("PNG", "SVG", "CSV")) {
            browser.driver.findElement(By.xpath("//section[@id='sec-bars']//button[normalize-space(.)='" + kind + "']")).click();
            browser.waitUntil("window.__labbookDownloads?.some(d => d.name === 'final-test_accuracy." + kind.toLowerCase() + "' && d.size > 40)");
        }
        assertTrue(download("final-test_accuracy.svg").contains("<svg"));
        assertTrue(download("final-test_accuracy.csv").contains("nblr-c1.0-ng2,0.897"));
    }

    @Test
    void viewsLiveInTheAddressAndAreSavedByNameOnTheExperiment() {
        String path = "/experiments/" + seed.experimentId + "?filter=params.model+%3D+%27nblr%27&sort=m%3Atest_f1%3Aasc&group=model&hide=p%3Angrams&pin=name";
        browser.open(path);
        browser.waitUntil("document.body.dataset.runsReady === '2'");
        assertEquals(1, browser.all(".vt-table tr.group").size());
        assertEquals(List.of("nblr-c1.0-ng1", "nblr-c1.0-ng2"), names());
        assertEquals(0L, browser.js("return document.querySelectorAll('button.sort[aria-label=\"Sort by ngrams\"]').length"), "the hidden column");
        assertEquals(List.of("Run name"), browser.js("return [...document.querySelectorAll('.vt-table thead tr:last-child th.sticky button.sort .label')].map(s => s.textContent)"));

        // saved by name: an experiment tag holding the address
        browser.driver.findElement(By.xpath("//summary[normalize-space(.)='Views']")).click();
        browser.waitFor("input[aria-label='View name']").sendKeys("nblr only");
        browser.driver.findElement(By.xpath("//button[normalize-space(.)='Save view']")).click();
        browser.waitFor(".view-row[data-view='nblr only']");
        String saved = experimentTags().get("labbook.view.nblr only");
        assertTrue(saved != null && saved.contains("group=model") && saved.contains("hide=p%3Angrams"), saved);
        browser.screenshot("issue12-views-saved");

        // anyone opens it from the plain experiment page, with no local state of their own
        browser.js("localStorage.clear()");
        browser.open("/experiments/" + seed.experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '4'");
        browser.driver.findElement(By.xpath("//summary[normalize-space(.)='Views']")).click();
        browser.waitFor(".view-row[data-view='nblr only'] a").click();
        browser.waitUntil("document.body.dataset.runsReady === '2' && document.querySelectorAll('.vt-table tr.group').length === 1");
        assertTrue(browser.driver.getCurrentUrl().contains("hide=p%3Angrams"), browser.driver.getCurrentUrl());
        assertEquals(List.of("nblr-c1.0-ng1", "nblr-c1.0-ng2"), names());

        // deleted views are gone from the list
        browser.driver.findElement(By.xpath("//summary[normalize-space(.)='Views']")).click();
        browser.waitFor("button[aria-label='Delete view nblr only']").click();
        browser.waitUntil("document.querySelector('.view-row[data-view=\"nblr only\"]') === null && document.querySelector('.views-list p') !== null");

        // the compare page's address carries its chart choices and pins
        browser.open(compareUrl() + "&x=relative&smooth=0.6&pins=train_loss");
        browser.waitUntil("document.querySelector('.chart-section[data-section=\"pinned\"] figure[data-metric=\"train_loss\"]')?.dataset.points === '12'");
        assertEquals("relative", browser.js("return document.querySelector('select[aria-label=\"X axis\"]').value"));
        assertEquals("relative", browser.js("return document.querySelector('figure[data-metric=\"train_loss\"]').__chart.o.xMode"));
        assertEquals(0.6, ((Number) browser.js("return document.querySelector('figure[data-metric=\"train_loss\"]').__chart.o.smoothing")).doubleValue());
        browser.js("document.querySelector('button.pin[aria-label=\"Pin train_loss\"]').click()");
        browser.waitUntil("new URLSearchParams(location.search).get('pins') === ''");
    }

    @Test
    void comparesUpToAHundredRunsAcrossExperiments() {
        String wide = wideExperiment(96, 40);
        List<String> ids = new java.util.ArrayList<>(seed.runIds);
        ids.addAll(runIdsOf(wide));
        assertEquals(100, ids.size());
        browser.open("/compare?runs=" + String.join(",", ids));
        browser.waitUntil("window.__labbook.compareReadyMs !== undefined");
        browser.waitUntil("[...document.querySelectorAll('figure.chart')].slice(0, 2).every(f => f.dataset.renderMs !== undefined)");
        double ready = ((Number) browser.js("return window.__labbook.compareReadyMs - window.__labbook.started")).doubleValue();
        double charts = ((Number) browser.js("return Math.max(...[...document.querySelectorAll('figure.chart')].filter(f => f.dataset.renderMs).map(f => Number(f.dataset.renderMs)))")).doubleValue();
        System.out.printf("compare of 100 runs x 40+ metrics: page ready %.0f ms, first charts drawn within %.0f ms of loading%n", ready, charts);
        assertEquals(100L, browser.js("return document.querySelectorAll('.run-chips li').length"));
        assertTrue(browser.waitFor(".page").getText().contains("Runs from 2 experiments"));
        assertTrue(browser.all("figure.chart").size() >= 46, "every metric of both experiments");
        assertEquals(100L, browser.js("return document.querySelectorAll('table.diff thead th').length - 1"));
        browser.screenshot("issue12-compare-100");
        browser.js("document.getElementById('sec-diff').scrollIntoView()");
        browser.screenshot("issue12-compare-100-diff");

        // runs of another experiment join a comparison from its menu
        browser.open(compareUrl());
        browser.waitFor(".run-chips");
        browser.driver.findElement(By.xpath("//summary[normalize-space(.)='Add runs…']")).click();
        // the menu fills its experiments after it opens
        browser.waitUntil("[...(document.querySelector(\"select[aria-label='Experiment to add runs from']\")?.options || [])]"
                + ".some(o => o.text === 'wide')");
        new Select(browser.waitFor("select[aria-label='Experiment to add runs from']")).selectByVisibleText("wide");
        browser.waitUntil("document.querySelectorAll('.add-runs input').length === 96");
        browser.all(".add-runs input").get(0).click();
        browser.all(".add-runs input").get(1).click();
        browser.driver.findElement(By.xpath("//button[normalize-space(.)='Add to comparison']")).click();
        browser.waitUntil("document.querySelectorAll('.run-chips li').length === 6");
        assertTrue(browser.waitFor(".page").getText().contains("Runs from 2 experiments"));
        browser.screenshot("issue12-compare-across");
    }

    /** An experiment of {@code runs} runs, each with {@code metrics} metrics (half logged once, half 50 points), written through the store. */
    private static String wideExperiment(int runs, int metrics) {
        var store = server.trackingStore();
        String exp = store.createExperiment("wide", null, List.of());
        long t0 = System.currentTimeMillis() - runs * 1000L;
        for (int i = 0; i < runs; i++) {
            String run = store.createRun(new dev.labbook.store.NewRun(exp, "ada", t0 + i * 1000L, "wide-" + i, List.of())).runId();
            List<dev.labbook.core.model.Metric> points = new java.util.ArrayList<>();
            for (int m = 0; m < metrics; m++) {
                int steps = m % 2 == 0 ? 1 : 50;
                for (int s = 0; s < steps; s++) {
                    points.add(new dev.labbook.core.model.Metric("m" + m, Math.sin(i + m + s / 10.0), t0 + s, s));
                }
            }
            store.logBatch(run, points, List.of(new dev.labbook.core.model.Param("i", Integer.toString(i))), List.of());
            store.updateRun(run, dev.labbook.core.model.RunStatus.FINISHED, t0 + i * 1000L + 500, null);
        }
        return exp;
    }

    private static List<String> runIdsOf(String experimentId) {
        List<String> out = new java.util.ArrayList<>();
        rest.post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 1000))
                .path("runs").forEach(r -> out.add(r.path("info").path("run_id").asText()));
        return out;
    }

    @Test
    void metricColumnsShowMinMaxOrTheValueAtAStep() {
        browser.open("/experiments/" + seed.experimentId + "?sort=name%3Aasc&agg=train_loss%3Amin");
        browser.waitUntil("document.body.dataset.runsReady === '4'");
        browser.waitUntil("document.querySelector('button.sort[aria-label=\"Sort by train_loss (min)\"]') !== null"
                + " && !document.querySelector('.vt-table tbody').textContent.includes('…')");
        assertEquals(List.of("fasttext-lr0.1-e3", "fasttext-lr0.3-e3", "nblr-c1.0-ng1", "nblr-c1.0-ng2"), names());
        assertEquals(List.of("0.38", "0.37", "0.4", "0.39"), column("Sort by train_loss (min)"));
        // added from the columns menu: val_accuracy at step 1, kept in the address
        browser.driver.findElement(By.xpath("//summary[starts-with(normalize-space(.), 'Columns')]")).click();
        new Select(browser.waitFor("select[aria-label='Metric of the new column']")).selectByValue("val_accuracy");
        new Select(browser.waitFor("select[aria-label='Value of the new column']")).selectByValue("step");
        browser.waitFor("input[aria-label='Step of the new column']").clear();
        browser.waitFor("input[aria-label='Step of the new column']").sendKeys("1");
        browser.driver.findElement(By.xpath("//form[contains(@class,'add-column')]//button[normalize-space(.)='Add']")).click();
        browser.waitUntil("document.querySelector('button.sort[aria-label=\"Sort by val_accuracy (at step 1)\"]') !== null"
                + " && !document.querySelector('.vt-table tbody').textContent.includes('…')");
        assertEquals(List.of("0.842", "0.854", "0.831", "0.867"), column("Sort by val_accuracy (at step 1)"));
        assertTrue(browser.driver.getCurrentUrl().contains("val_accuracy%3Astep%3A1"), browser.driver.getCurrentUrl());
        browser.driver.findElement(By.xpath("//summary[starts-with(normalize-space(.), 'Columns')]")).click();
        browser.screenshot("issue12-runs-aggregate-columns");
    }

    /** The texts of one column's cells, top to bottom, by its sort button's label. */
    @SuppressWarnings("unchecked")
    private static List<String> column(String sortLabel) {
        return (List<String>) browser.js("""
                const cols = [...document.querySelectorAll('.vt-table thead tr:last-child th')];
                const i = cols.findIndex(th => th.querySelector('button.sort')?.getAttribute('aria-label') === arguments[0]);
                return [...document.querySelectorAll('.vt-table tbody tr[data-index]')].map(tr => tr.cells[i].textContent);""", sortLabel);
    }

    private static String download(String name) {
        return (String) browser.driver.executeAsyncScript("const done = arguments[1];"
                + " window.__labbookDownloads.filter(d => d.name === arguments[0]).at(-1).blob.text().then(done);", name);
    }

    private static Map<String, String> experimentTags() {
        Map<String, String> out = new java.util.HashMap<>();
        rest.get("experiments/get?experiment_id=" + seed.experimentId).path("experiment").path("tags")
                .forEach(t -> out.put(t.path("key").asText(), t.path("value").asText()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> names() {
        return (List<String>) browser.js("return [...document.querySelectorAll('.vt-table tbody td.sticky a')].map(a => a.textContent.trim());");
    }
}
