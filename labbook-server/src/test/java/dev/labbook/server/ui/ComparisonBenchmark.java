package dev.labbook.server.ui;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.NewRun;
import dev.labbook.store.TrackingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's figures in headless Chromium: the compare page of 100 runs x 40 metrics (navigation
 * to every panel drawn, and the first charts in view drawn) and the experiment Charts view of
 * 500 runs x 1,000 steps (history requests until uPlot has drawn). Not a timed test: run with
 * {@code mvn -B -q -pl labbook-server -am test -Dtest=ComparisonBenchmark -Dlabbook.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "labbook.bench", matches = "true")
class ComparisonBenchmark {
    static final int REPEAT = 5;

    @TempDir
    Path dir;

    @Test
    void compareHundredRunsAndChartFiveHundred() {
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir))) {
            TrackingStore store = server.trackingStore();
            List<String> hundred = runs(store, "bench-compare", 100, 40, 200);
            String big = store.getExperimentByName("bench-compare").orElseThrow().experimentId();
            runs(store, "bench-chart", 500, 1, 1000);
            String chartExp = store.getExperimentByName("bench-chart").orElseThrow().experimentId();
            try (Browser browser = new Browser("http://127.0.0.1:" + server.port())) {
                double[] ready = new double[REPEAT];
                double[] charts = new double[REPEAT];
                for (int i = 0; i < REPEAT; i++) {
                    browser.open("/compare?runs=" + String.join(",", hundred));
                    browser.waitUntil("window.__labbook.compareReadyMs !== undefined"
                            + " && [...document.querySelectorAll('figure.chart')].slice(0, 2).every(f => f.dataset.renderMs !== undefined)");
                    ready[i] = ((Number) browser.js("return window.__labbook.compareReadyMs")).doubleValue();
                    charts[i] = ((Number) browser.js("return Math.max(...[...document.querySelectorAll('figure.chart')].slice(0, 2)"
                            + ".map(f => performance.getEntriesByType('navigation')[0] ? Number(f.dataset.renderMs) : 0))")).doubleValue();
                }
                report("compare 100 runs x 40 metrics: every panel drawn (ms after navigation)", ready);
                report("compare 100 runs x 40 metrics: first charts, load to draw (ms)", charts);
                double[] drawn = new double[REPEAT];
                for (int i = 0; i < REPEAT; i++) {
                    browser.open("/experiments/" + big);  // leave the page so the next load is a fresh one
                    browser.open("/experiments/" + chartExp + "/charts");
                    browser.waitUntil("document.querySelector('.exp-chart figure.chart')?.dataset.renderMs !== undefined");
                    drawn[i] = Double.parseDouble((String) browser.js("return document.querySelector('.exp-chart figure.chart').dataset.renderMs"));
                }
                report("experiment chart 500 runs x 1,000 steps: history requests to drawn (ms)", drawn);
                browser.screenshot("bench-experiment-chart-500");
            }
        }
    }

    private static void report(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%s: median %.0f, min %.0f, max %.0f%n", what, s[s.length / 2], s[0], s[s.length - 1]);
    }

    /** An experiment of {@code n} runs with {@code metrics} metrics of {@code steps} points (half of them one point when metrics > 1). */
    private static List<String> runs(TrackingStore store, String name, int n, int metrics, int steps) {
        String exp = store.createExperiment(name, null, List.of());
        long t0 = System.currentTimeMillis() - n * 1000L;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = store.createRun(new NewRun(exp, "ada", t0 + i * 1000L, name + "-" + i, List.of())).runId();
            List<Metric> points = new ArrayList<>();
            for (int m = 0; m < metrics; m++) {
                int count = metrics > 1 && m % 2 == 0 ? 1 : steps;
                for (int s = 0; s < count; s++) {
                    points.add(new Metric(metrics == 1 ? "val_loss" : "m" + m, Math.exp(-s / 300.0) + 0.001 * i + 0.01 * Math.sin(s + m), t0 + s * 100L, s));
                }
            }
            for (int from = 0; from < points.size(); from += 1000) {
                store.logBatch(run, points.subList(from, Math.min(points.size(), from + 1000)),
                        from == 0 ? List.of(new Param("group", Integer.toString(i % 4))) : List.of(), List.of());
            }
            store.updateRun(run, RunStatus.FINISHED, t0 + i * 1000L + 500, null);
            ids.add(run);
        }
        return ids;
    }
}
