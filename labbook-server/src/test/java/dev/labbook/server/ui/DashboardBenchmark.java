package dev.labbook.server.ui;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.NewRun;
import dev.labbook.store.TrackingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the dashboard in headless Chromium: the runs table of an experiment with 10,000 runs
 * (10 params and 5 metrics each) and the chart of a 1,000,000-point metric. Timings are taken in
 * the page ({@code performance.now()}): for the table, from navigation start until the first rows
 * are drawn; for the chart, from the history request until uPlot has drawn. Run with
 * {@code mvn -o test -pl labbook-server -am -Dtest=DashboardBenchmark -Dlabbook.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "labbook.bench", matches = "true")
class DashboardBenchmark {
    static final int RUNS = 10_000;
    static final int POINTS = 1_000_000;
    static final int REPEAT = 5;

    @TempDir
    Path dir;

    @Test
    void runsTableAndMillionPointChart() {
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir))) {
            String[] ids = seed(server.trackingStore());
            String exp = ids[0];
            String big = ids[1];
            runBrowser(server, exp, big);
        }
    }

    /** Seeds the benchmark's experiment; returns its id and the id of the million-point run. */
    static String[] seed(TrackingStore store) {
        {
            long t = System.nanoTime();
            String exp = store.createExperiment("bench-10k", null, List.of());
            Random rnd = new Random(1);
            long now = System.currentTimeMillis();
            for (int i = 0; i < RUNS; i++) {
                String run = store.createRun(new NewRun(exp, "ada", now - i * 1000L, "run-" + i, List.of())).runId();
                List<Param> params = new ArrayList<>();
                for (int p = 0; p < 10; p++) {
                    params.add(new Param("param_" + p, Integer.toString(rnd.nextInt(20))));
                }
                List<Metric> metrics = new ArrayList<>();
                for (int m = 0; m < 5; m++) {
                    metrics.add(new Metric("metric_" + m, rnd.nextDouble(), now, 10));
                }
                store.logBatch(run, metrics, params, List.of(new RunTag("team", "t" + (i % 7))));
                store.updateRun(run, RunStatus.FINISHED, now - i * 1000L + 60_000, null);
            }
            System.out.printf("seeded %d runs in %.1f s%n", RUNS, (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            String big = store.createRun(new NewRun(exp, "ada", now, "million", List.of())).runId();
            List<Metric> batch = new ArrayList<>(1000);
            for (int i = 0; i < POINTS; i++) {
                double spike = i == 777_777 ? 50 : 0;
                batch.add(new Metric("loss", 1.0 / Math.sqrt(1 + i) + 0.01 * rnd.nextGaussian() + spike, now + i, i));
                if (batch.size() == 1000) {
                    store.logBatch(big, batch, List.of(), List.of());
                    batch.clear();
                }
            }
            System.out.printf("seeded %d points in %.1f s%n", POINTS, (System.nanoTime() - t) / 1e9);
            return new String[] {exp, big};
        }
    }

    private static void runBrowser(LabbookServer server, String exp, String big) {
        {

            try (Browser browser = new Browser("http://127.0.0.1:" + server.port())) {
                double[] table = new double[REPEAT];
                double[] full = new double[REPEAT];
                for (int i = 0; i < REPEAT; i++) {
                    browser.open("/experiments/" + exp);
                    browser.waitUntil("document.body.dataset.runsReady");
                    browser.waitUntil("window.__labbook.runsFullMs");
                    table[i] = ((Number) browser.js("return window.__labbook.runsReadyMs")).doubleValue();
                    full[i] = ((Number) browser.js("return window.__labbook.runsFullMs")).doubleValue();
                    if (i == 0) {
                        browser.screenshot("bench-runs-10k");
                    }
                }
                // scrolling to the end of the virtual table and sorting by a metric
                long s0 = System.nanoTime();
                browser.js("const v = document.querySelector('.vt'); v.scrollTop = v.scrollHeight;");
                browser.waitUntil("[...document.querySelectorAll('.vt-table tbody tr[data-index]')].some(tr => tr.dataset.index === '" + RUNS + "')");
                double scrollMs = (System.nanoTime() - s0) / 1e6;
                s0 = System.nanoTime();
                browser.js("document.querySelector(\"button.sort[aria-label='Sort by metric_0']\").click()");
                browser.waitUntil("location.search.includes('metric_0')");
                double sortMs = (System.nanoTime() - s0) / 1e6;

                double[] chart = new double[REPEAT];
                for (int i = 0; i < REPEAT; i++) {
                    browser.open("/runs/" + big + "#charts");
                    browser.waitUntil("document.querySelector('figure[data-metric=\"loss\"]')?.dataset.renderMs");
                    chart[i] = Double.parseDouble((String) browser.js(
                            "return document.querySelector('figure[data-metric=\"loss\"]').dataset.renderMs"));
                    if (i == 0) {
                        browser.screenshot("bench-chart-1m");
                    }
                }
                String max = (String) browser.js("return String(Math.max(...document.querySelector('figure[data-metric=\"loss\"]').__chart.raw['" + big + "'].val))");
                System.out.printf("runs table, %d runs, navigation to first rows drawn (ms): %s; median %.0f%n", RUNS + 1, fmt(table), median(table));
                System.out.printf("runs table, %d runs, navigation to all rows loaded and drawn (ms): %s; median %.0f%n", RUNS + 1, fmt(full), median(full));
                System.out.printf("runs table: scroll to the last row %.0f ms, sort %d rows by a metric %.0f ms (round trip through WebDriver)%n", scrollMs, RUNS + 1, sortMs);
                System.out.printf("chart of %d points, request to drawn (ms): %s (first is cold: read from SQLite); median %.0f%n", POINTS, fmt(chart), median(chart));
                System.out.printf("spike at step 777777 kept in the sampled chart: max value %s%n", max);
                if (!browser.consoleErrors().isEmpty()) {
                    throw new AssertionError("console errors");
                }
            }
        }
    }

    private static String fmt(double[] xs) {
        return Arrays.toString(Arrays.stream(xs).map(Math::round).toArray());
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
