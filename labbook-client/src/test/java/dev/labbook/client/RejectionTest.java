package dev.labbook.client;

import static dev.labbook.client.DurabilityTest.assertExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.DeliveryReport.Rejection;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries the server refuses cost only themselves: everything else of their log-batch arrives,
 * exactly once, live and through {@link Sync}; refused entries are reported, not retried.
 */
class RejectionTest {
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

    RunOptions options() {
        return new RunOptions().setExperiment("rejections").optTrackingUri(server.uri())
                .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(false).optCaptureEnvironment(false)
                .optTimeout(Duration.ofSeconds(60));
    }

    /**
     * A spool as a writer without the SDK's checks would leave it (an older SDK, another tool):
     * {@code body}'s records, then the run's end, in one segment, so they are packed together.
     * With {@code runId} null the sync creates the run.
     */
    Path handWrittenSpool(String clientId, String runId, Consumer<SpoolWriter> body) {
        Path dir = tmp.resolve("spool").resolve(clientId);
        String experimentId = runId == null ? null : client.getRun(runId).info().experimentId();
        String artifactUri = runId == null ? null : client.getRun(runId).info().artifactUri();
        new RunMeta(clientId, server.uri(), "rejections", "hand-written", "test", System.currentTimeMillis(), Map.of(),
                null, runId, experimentId, artifactUri).write(dir);
        try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, key -> { })) {
            body.accept(w);
            w.status(RunStatus.FINISHED.ordinal(), System.currentTimeMillis());
        }
        return dir;
    }

    static Map<String, String> params(dev.labbook.core.model.Run r) {
        return r.data().params().stream().collect(Collectors.toMap(Param::key, Param::value));
    }

    @Test
    void aBadKeyAmong999GoodPointsIsReportedAloneAndTheRestArrivesOnceThroughSync() throws Exception {
        Path dir = handWrittenSpool(UUID.randomUUID().toString().replace("-", ""), null, w -> {
            for (int i = 0; i < 999; i++) {
                w.metric("loss", i * 0.5, 1_000 + i, i);
                if (i == 500) {
                    w.metric("val loss%", 1.0, 1_000 + i, i); // '%' is not allowed in MLflow keys
                }
            }
        });
        DurabilityTest.copyTree(dir, tmp.resolve("replay").resolve(dir.getFileName()));

        Sync.Result r = Sync.one(dir, null, Duration.ofSeconds(60));
        assertTrue(r.complete(), r.toString());
        assertEquals(1, r.rejectedEntries(), r.toString());
        assertEquals(0, r.droppedRecords(), r.toString());
        Rejection bad = r.rejections().get(0);
        assertEquals(List.of("metric", "val loss%", 1L, "INVALID_PARAMETER_VALUE"),
                List.of(bad.kind(), bad.key(), bad.count(), bad.errorCode()));
        assertTrue(bad.message().contains("val loss%"), "the server's own message: " + bad.message());
        assertEquals(1001, r.records(), "every record is accounted for: 999 points delivered, 1 refused, the run's end");

        var run = client.getRun(r.runId());
        assertEquals(RunStatus.FINISHED, run.info().status());
        assertEquals(List.of("loss"), run.data().metrics().stream().map(Metric::key).toList());
        List<Metric> loss = client.getMetricHistory(r.runId(), "loss");
        assertExactly(client, r.runId(), "loss", 999);
        for (int i = 0; i < 999; i++) {
            assertEquals(new Metric("loss", i * 0.5, 1_000 + i, i), loss.get(i));
        }

        // the same spool again (its checkpoint lost): found by client id, nothing stored twice
        Sync.Result replay = Sync.one(tmp.resolve("replay").resolve(dir.getFileName()), null, Duration.ofSeconds(60));
        assertTrue(replay.complete(), replay.toString());
        assertEquals(r.runId(), replay.runId());
        assertEquals(1, replay.rejectedEntries());
        assertExactly(client, r.runId(), "loss", 999);
    }

    @Test
    void syncBisectsABatchTheServerRefusesDownToTheEntriesToBlame() {
        // the run exists and another writer already set lr: this spool's lr=0.2 cannot be stored
        String clientId = UUID.randomUUID().toString().replace("-", "");
        String experimentId = client.getOrCreateExperiment("rejections");
        String runId = client.createRun(experimentId, "shared", System.currentTimeMillis(),
                List.of(new RunTag("labbook.client_run_id", clientId))).info().runId();
        client.logParam(runId, "lr", "0.1");
        Path dir = handWrittenSpool(clientId, runId, w -> {
            w.param("lr", "0.2");
            w.param("layers", "3");
            for (int i = 0; i < 995; i++) {
                w.metric("loss", i, 1_000 + i, i);
                if (i == 700) {
                    // a key the client finds fine, refused for its timestamp: only the server knows
                    w.metric("loss", -1, -5, 9_999);
                }
            }
            w.tag("phase", "done");
        });

        Sync.Result r = Sync.one(dir, null, Duration.ofSeconds(60));
        assertTrue(r.complete(), r.toString());
        assertEquals(2, r.rejectedEntries(), r.toString());
        Map<String, Rejection> byKey = r.rejections().stream().collect(Collectors.toMap(x -> x.kind() + " " + x.key(), x -> x));
        assertEquals("INVALID_PARAMETER_VALUE", byKey.get("param lr").errorCode());
        assertTrue(byKey.get("param lr").message().contains("0.1"), byKey.get("param lr").message());
        assertEquals(1, byKey.get("metric loss").count());
        assertTrue(byKey.get("metric loss").message().contains("timestamp"), byKey.get("metric loss").message());

        var run = client.getRun(runId);
        assertEquals(Map.of("lr", "0.1", "layers", "3"), params(run));
        assertEquals("done", run.data().tags().stream().filter(t -> t.key().equals("phase")).findFirst().orElseThrow().value());
        assertEquals(RunStatus.FINISHED, run.info().status());
        assertExactly(client, runId, "loss", 995);
        assertTrue(client.getMetricHistory(runId, "loss").stream().noneMatch(m -> m.step() == 9_999));
    }

    @Test
    void aLocalStoreRefusesWhatTheServerRefusesAndKeepsTheRest() {
        Path dir = handWrittenSpool(UUID.randomUUID().toString().replace("-", ""), null, w -> {
            w.param("lr", "0.1");
            w.param("notes", "x".repeat(6001)); // over MLflow's 6000 characters
            for (int i = 0; i < 500; i++) {
                w.metric("loss", i, 1_000 + i, i);
            }
            w.metric("loss", 7, -1, 10_000); // a timestamp only the store's checks refuse
        });
        Path local = tmp.resolve("local");
        Sync.Result r = Sync.one(dir, local.toString(), Duration.ofSeconds(60));
        assertTrue(r.complete(), r.toString());
        assertEquals(2, r.rejectedEntries(), r.toString());
        assertEquals(java.util.Set.of("param notes", "metric loss"),
                r.rejections().stream().map(x -> x.kind() + " " + x.key()).collect(Collectors.toSet()));
        try (TestServer onLocal = TestServer.start(local)) {
            TrackingClient c = onLocal.client();
            assertEquals(Map.of("lr", "0.1"), params(c.getRun(r.runId())));
            assertExactly(c, r.runId(), "loss", 500);
        }
    }

    @Test
    void aParamReloggedWithAnotherValueIsRejectedAloneWhileTheMetricsArrive() {
        Run run = Labbook.init(options());
        String runId = run.id();
        assertNotNull(runId);
        client.logParam(runId, "lr", "0.1"); // e.g. another process of the same job logged it first
        for (int i = 0; i < 999; i++) {
            run.log("loss", 1.0 / (i + 1), i);
        }
        run.logParam("lr", 0.2);
        run.setTag("phase", "done");
        DeliveryReport report = run.finish();

        assertTrue(report.complete(), report.toString());
        assertEquals(1, report.rejectedEntries(), report.toString());
        assertEquals(0, report.droppedRecords(), report.toString());
        Rejection lr = report.rejections().get(0);
        assertEquals(List.of("param", "lr", 1L, "INVALID_PARAMETER_VALUE"), List.of(lr.kind(), lr.key(), lr.count(), lr.errorCode()));
        assertTrue(report.toString().contains("1 entries rejected by the server (param 'lr'"), report.toString());

        var r = client.getRun(runId);
        assertEquals(Map.of("lr", "0.1"), params(r));
        assertEquals(RunStatus.FINISHED, r.info().status());
        assertTrue(r.data().tags().contains(new RunTag("phase", "done")));
        assertExactly(client, runId, "loss", 999);
    }

    @Test
    void aRunDeletedOnTheServerIsNotBisectedItsDeliveriesAreDropped() {
        Run run = Labbook.init(options());
        String runId = run.id();
        for (int i = 0; i < 10; i++) {
            run.log("loss", i);
        }
        assertTrue(run.flush().complete());
        client.post("runs/delete", Map.of("run_id", runId));
        for (int i = 0; i < 2500; i++) {
            run.log("loss", i);
        }
        DeliveryReport report = run.finish();

        assertTrue(report.complete(), "nothing is left to retry: " + report);
        assertEquals(0, report.rejectedEntries(), "no entry is to blame: " + report);
        assertEquals(2501, report.droppedRecords(), "2500 points and the run's end: " + report);
        assertExactly(client, runId, "loss", 10);
    }
}
