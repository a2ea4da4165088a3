package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real server in this JVM. */
class OnlineRunTest {
    @TempDir
    Path tmp;
    TestServer server;
    TrackingClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp.resolve("data"));
        client = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    RunOptions options(String experiment) {
        return new RunOptions().setExperiment(experiment).optTrackingUri(server.uri())
                .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(false).optCaptureEnvironment(false);
    }

    @Test
    void logsMetricsParamsTagsAndEndsFinished() {
        String runId;
        DeliveryReport report;
        try (dev.labbook.client.Run run = Labbook.init(options("online").optRunName("first")
                .optConfig(Map.of("lr", 0.01, "layers", 3)).optTags(Map.of("team", "nlp"))
                .optDescription("a test run").optSeed(42))) {
            runId = run.id();
            assertNotNull(runId, "the server was up: the run exists at once");
            for (int i = 0; i < 5000; i++) {
                run.log("loss", 1.0 / (i + 1));
            }
            run.log(Map.of("acc", 0.5, "f1", 0.4));
            run.log(Map.of("acc", 0.6), 10);
            run.log("nan", Double.NaN, 3);
            run.summary("acc", 0.9);
            run.setTag("phase", "train");
            run.setTag("phase", "done");
            assertThrows(LabbookException.class, () -> run.logParam("lr", 0.02));
            run.logParam("lr", 0.01); // the same value again is fine
            report = run.flush(Duration.ofSeconds(30));
            assertTrue(report.complete(), report.toString());
        }
        Run r = client.getRun(runId);
        assertEquals(RunStatus.FINISHED, r.info().status());
        assertNotNull(r.info().endTime());
        assertEquals("first", r.info().runName());
        Map<String, String> params = r.data().params().stream().collect(Collectors.toMap(Param::key, Param::value));
        assertEquals(Map.of("lr", "0.01", "layers", "3", "seed", "42"), params);
        Map<String, String> tags = r.data().tags().stream().collect(Collectors.toMap(RunTag::key, RunTag::value));
        assertEquals("nlp", tags.get("team"));
        assertEquals("done", tags.get("phase"));
        assertEquals("a test run", tags.get("mlflow.note.content"));
        assertNotNull(tags.get("labbook.client_run_id"));

        List<Metric> loss = client.getMetricHistory(runId, "loss");
        assertEquals(5000, loss.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, loss.get(i).step());
            assertEquals(1.0 / (i + 1), loss.get(i).value());
        }
        List<Metric> acc = client.getMetricHistory(runId, "acc");
        assertEquals(List.of(0L, 10L, 10L), acc.stream().map(Metric::step).toList());
        Map<String, Double> latest = r.data().metrics().stream().collect(Collectors.toMap(Metric::key, Metric::value));
        assertEquals(0.9, latest.get("acc"), "the summary is the value runs show");
        assertTrue(Double.isNaN(client.getMetricHistory(runId, "nan").get(0).value()));
    }

    @Test
    void closingAfterFailMarksFailedAndLabbookRunRethrows() {
        RuntimeException boom = new IllegalStateException("boom");
        String[] id = new String[1];
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Labbook.run(options("failing"), run -> {
            id[0] = run.id();
            run.log("x", 1);
            throw boom;
        }));
        assertEquals(boom, thrown);
        Run r = client.getRun(id[0]);
        assertEquals(RunStatus.FAILED, r.info().status());
        assertTrue(r.data().tags().stream().anyMatch(t -> t.key().equals("labbook.error") && t.value().contains("boom")));
    }

    @Test
    void anExceptionEscapingTheTryBlockMarksTheRunFailed() throws Exception {
        String runId;
        try (Child child = Child.start(List.of(), ChildFailingMain.class, server.uri(), tmp.resolve("spool").toString())) {
            runId = child.await("RUN ", 60).substring(4);
            assertTrue(child.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, child.process.exitValue());
        }
        Run r = client.getRun(runId);
        assertEquals(RunStatus.FAILED, r.info().status());
        assertTrue(r.data().tags().stream().anyMatch(t -> t.key().equals("labbook.error") && t.value().contains("diverged")));
        assertEquals(1, client.getMetricHistory(runId, "loss").size());
    }

    @Test
    void childRunsNameTheirParent() {
        try (dev.labbook.client.Run parent = Labbook.init(options("sweep").optRunName("sweep"))) {
            try (dev.labbook.client.Run child = Labbook.init(options("sweep").optParent(parent).optConfig(Map.of("lr", 0.1)))) {
                child.log("loss", 1);
                assertTrue(child.flush().complete());
                Run c = client.getRun(child.id());
                assertTrue(c.data().tags().contains(new RunTag("mlflow.parentRunId", parent.id())));
            }
        }
    }

    @Test
    void aDeliveredSpoolIsCleanedUp() {
        Path dir;
        try (dev.labbook.client.Run run = Labbook.init(options("cleanup"))) {
            run.log("x", 1);
            dir = run.spoolDir();
        }
        assertTrue(Files.exists(dir.resolve("delivered")));
        assertTrue(dev.labbook.client.spool.SpoolReader.segments(dir).isEmpty());
        assertEquals(List.of(), Sync.all(tmp.resolve("spool"), null, Duration.ofSeconds(5)), "nothing left to sync");
    }

    @Test
    void loggingAfterTheEndIsRefused() {
        dev.labbook.client.Run run = Labbook.init(options("ended"));
        run.finish();
        assertThrows(LabbookException.class, () -> run.log("x", 1));
        assertNull(run.finish().lastError());
    }
}
