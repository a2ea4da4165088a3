package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.store.NewRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/** The experiment's Charts view in a real browser: every run of the filter overlaid, grouped, smoothed, chosen. */
class ExperimentChartsBrowserTest extends BrowserTestBase {
    static final int RUNS = 60;
    static final int STEPS = 200;
    static final double[] LRS = {0.1, 0.01, 0.001};

    static String experimentId;
    static final List<String> runIds = new ArrayList<>();

    @BeforeAll
    static void start() {
        startServer();
        var store = server.trackingStore();
        experimentId = store.createExperiment("sweep", null, List.of());
        long t0 = System.currentTimeMillis() - RUNS * 60_000L;
        for (int i = 0; i < RUNS; i++) {
            long start = t0 + i * 60_000L;
            String run = store.createRun(new NewRun(experimentId, "ada", start, "sweep-" + i, List.of())).runId();
            double lr = LRS[i % LRS.length];
            List<Metric> points = new ArrayList<>();
            for (int s = 0; s < STEPS; s++) {
                points.add(new Metric("val_loss", 0.2 + lr * 5 + Math.exp(-s / 40.0) + 0.002 * i + 0.02 * Math.sin(s + i), start + s * 1000L, s));
            }
            store.logBatch(run, points, List.of(new Param("lr", Double.toString(lr))), List.of());
            store.updateRun(run, RunStatus.FINISHED, start + STEPS * 1000L, null);
            runIds.add(run);
        }
        openBrowser();
    }



    private static final String CHART = "document.querySelector('.exp-chart figure.chart')";

    @Test
    void overlaysEveryRunGroupsSmoothsAndNamesTheRunUnderTheCursor() {
        browser.open("/experiments/" + experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '" + RUNS + "'");
        browser.waitFor(".subnav a[data-section='charts']").click();
        browser.waitUntil("location.pathname.endsWith('/charts')");
        // the guessed primary metric (the only loss) for all 60 runs, every point of each
        browser.waitUntil(CHART + "?.dataset.points === '" + RUNS * STEPS + "'");
        assertEquals("val_loss", new Select(browser.waitFor("select[aria-label='Metric']")).getFirstSelectedOption().getAttribute("value"));
        assertEquals((long) RUNS + 1, browser.js("return " + CHART + ".__chart.plot.series.length"));

        // the hover names the run whose line is under the cursor
        Object[] pos = ((List<?>) browser.js("const u = " + CHART + ".__chart.plot; const i = 100;"
                + " return [u.valToPos(u.data[0][i], 'x'), u.valToPos(u.data[7][i], 'y'), u.over.clientWidth, u.over.clientHeight];")).toArray();
        WebElement over = browser.waitFor(".exp-chart .u-over");
        int dx = (int) Math.round(((Number) pos[0]).doubleValue() - ((Number) pos[2]).doubleValue() / 2);
        int dy = (int) Math.round(((Number) pos[1]).doubleValue() - ((Number) pos[3]).doubleValue() / 2);
        new Actions(browser.driver).moveToElement(over, dx, dy).perform();
        browser.waitUntil("document.querySelector('.exp-chart .readout').dataset.focused?.startsWith('sweep-')");
        String readout = browser.waitFor(".exp-chart .readout").getText();
        assertTrue(readout.contains("step 100") && readout.contains("sweep-"), readout);
        browser.screenshot("issue12-experiment-charts");

        // grouped by lr: three means, each with a min-max band
        new Select(browser.waitFor("select[aria-label='Group runs by param']")).selectByValue("lr");
        browser.waitUntil(CHART + "?.__chart.plot?.bands?.length === 3");
        assertEquals(1L + 3 * 3, browser.js("return " + CHART + ".__chart.plot.series.length"));
        assertTrue(browser.driver.getCurrentUrl().contains("group=lr"), browser.driver.getCurrentUrl());
        assertEquals(3, browser.all(".exp-chart .run-chips li").size());
        browser.screenshot("issue12-experiment-charts-grouped");

        // smoothing keeps a faint raw curve behind each smoothed one
        browser.js("const s = document.querySelector('input[aria-label=\"Smoothing\"]'); s.value = '0.9';"
                + " s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change'));");
        browser.waitUntil(CHART + "?.__chart.plot?.series.length === 1 + 3 * 4");
        assertEquals(Boolean.TRUE, browser.js("return " + CHART + ".__chart.plot.series.some(s => s.label.endsWith('(raw)'))"));
        browser.screenshot("issue12-experiment-charts-smoothed");

        // relative time on the x axis
        new Select(browser.waitFor("select[aria-label='X axis']")).selectByValue("relative");
        browser.waitUntil(CHART + "?.__chart.o.xMode === 'relative' && " + CHART + ".__chart.plot?.data[0].at(-1) === " + (STEPS - 1));
    }

    @Test
    void drawsExactlyTheRunsChosenInTheTable() {
        browser.open("/experiments/" + experimentId);
        browser.waitUntil("document.body.dataset.runsReady === '" + RUNS + "'");
        List<WebElement> boxes = browser.all(".vt-table tbody input.select");
        boxes.get(0).click();
        boxes.get(1).click();
        WebElement chart = browser.driver.findElement(By.xpath("//button[normalize-space(.)='Chart (2)']"));
        chart.click();
        browser.waitUntil(CHART + "?.dataset.points === '" + 2 * STEPS + "'");
        assertEquals(2L, browser.js("return " + CHART + ".__chart.o.runs.length"));
        assertTrue(browser.driver.getCurrentUrl().contains("runs="), browser.driver.getCurrentUrl());
        // the picker lists every run of the filter, the two chosen checked; choosing a third draws three
        browser.driver.findElement(By.xpath("//summary[normalize-space(.)='Runs drawn']")).click();
        assertEquals(2L, browser.js("return document.querySelectorAll('.run-picker input:checked').length"));
        browser.all(".run-picker input:not(:checked)").get(0).click();
        browser.waitUntil(CHART + "?.dataset.points === '" + 3 * STEPS + "'");
        browser.screenshot("issue12-experiment-charts-chosen");
    }
}
