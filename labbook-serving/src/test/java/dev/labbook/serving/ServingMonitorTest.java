package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.TrackingClient;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served model's figures reach a real Labbook server as metrics of a run of
 * {@code serving/NAME}, tagged with the version; a service without monitoring logs nothing.
 */
class ServingMonitorTest {
    static final String NAME = "monitored-sentiment";

    @Test
    void servingFiguresBecomeMetricsOfARunTaggedWithTheVersion(@TempDir Path dir) throws Exception {
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir.resolve("server")))) {
            String uri = "http://127.0.0.1:" + server.port();
            TrackingClient client = TrackingClient.of(uri);
            TestModels.train(1.0, dir.resolve("m1"));
            String runId = TestModels.logRun(client, dir.resolve("m1"), 0.8);
            Registration.register(client, runId, "model", NAME);
            ModelResolver resolver = new ModelResolver(uri, new ModelCache(dir.resolve("cache")));
            ServingOptions options = ServingOptions.defaults("127.0.0.1", 0);
            ServingMonitor.Options monitoring = new ServingMonitor.Options(uri, Duration.ofMillis(200), dir.resolve("spool"));

            String servingRunId;
            try (ModelService plain = ModelService.start(ModelUri.parse(dir.resolve("m1").toString()), resolver, options, null);
                    ModelService monitored = ModelService.start(ModelUri.parse("models:/" + NAME + "/1"), resolver, options, null, monitoring)) {
                List<String> texts = TestModels.texts(5);
                for (int i = 0; i < 10; i++) {
                    assertEquals(200, Http.json(monitored.port(), Map.of("inputs", texts)).status());
                    assertEquals(200, Http.json(plain.port(), Map.of("inputs", texts)).status());
                }
                for (int i = 0; i < 3; i++) {
                    assertEquals(400, Http.post(monitored.port(), "application/json", "{not json").status());
                }
                // the SDK creates the run first and delivers its tags in a later batch: wait for both
                Run run = await("the serving run with its tags", () -> experiment(client, "serving/" + NAME)
                        .flatMap(e -> client.searchRuns(List.of(e.experimentId()), null, 10, List.of(), null).items().stream().findFirst())
                        .filter(r -> tag(r, "labbook.serving.source_run_id") != null));
                servingRunId = run.info().runId();
                assertEquals(NAME + "/1", tag(run, ServingMonitor.VERSION_TAG));
                assertEquals("1", tag(run, "labbook.serving.version"));
                assertEquals(runId, tag(run, "labbook.serving.source_run_id"));
                // metrics arrive interval by interval: wait until all 13 requests are counted
                await("13 requests counted", () -> Optional.of(sum(client, servingRunId, "requests")).filter(n -> n >= 13));
                assertEquals(13, sum(client, servingRunId, "requests"));
                assertEquals(3, sum(client, servingRunId, "errors"));
                assertEquals(50, sum(client, servingRunId, "rows"));
                List<Metric> p50 = client.getMetricHistory(servingRunId, "latency_p50_ms");
                List<Metric> p99 = client.getMetricHistory(servingRunId, "latency_p99_ms");
                assertTrue(!p99.isEmpty() && p99.stream().allMatch(m -> m.value() > 0 && m.value() < 60_000), p99.toString());
                assertTrue(p50.stream().allMatch(m -> m.value() > 0), p50.toString());
            }
            // closing the service ends its run
            assertEquals(RunStatus.FINISHED, client.getRun(servingRunId).info().status());
            // the service started without monitoring logged nothing
            assertTrue(experiment(client, "serving/m1").isEmpty());
        }
    }

    private static Optional<Experiment> experiment(TrackingClient client, String name) {
        return client.findExperimentByName(name);
    }

    private static double sum(TrackingClient client, String runId, String key) {
        return client.getMetricHistory(runId, key).stream().mapToDouble(Metric::value).sum();
    }

    private static String tag(Run run, String key) {
        return run.data().tags().stream().filter(t -> t.key().equals(key)).map(RunTag::value).findFirst().orElse(null);
    }

    /** Waits for {@code probe} to give a value, up to a minute (a loaded machine delays the SDK's sender). */
    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
