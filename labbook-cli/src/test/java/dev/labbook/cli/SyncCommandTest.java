package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.Labbook;
import dev.labbook.client.Run;
import dev.labbook.client.RunOptions;
import dev.labbook.client.TrackingClient;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.model.RunStatus;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labbook sync} uploads an offline run's spool, and running it again stores nothing twice. */
class SyncCommandTest {
    @TempDir
    Path tmp;

    @Test
    void syncUploadsAnOfflineRunOnceAndIsSafeToRepeat() {
        Path spool = tmp.resolve("spool");
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")))) {
            String uri = "http://127.0.0.1:" + server.port();
            RunOptions options = new RunOptions().setExperiment("offline-sync").optRunName("offline")
                    .optTrackingUri(uri).optSpoolDir(spool).optOffline(true)
                    .optSystemMetrics(false).optCaptureEnvironment(false);
            try (Run run = Labbook.init(options)) {
                run.logParam("lr", 0.01);
                for (int step = 0; step < 5_000; step++) {
                    run.log("loss", 1.0 / (step + 1), step);
                }
            }
            TrackingClient client = TrackingClient.of(uri);
            assertTrue(client.findExperimentByName("offline-sync").isEmpty(), "offline mode sends nothing");

            Output first = sync(spool);
            assertEquals(0, first.code, first.text);
            assertTrue(first.text.contains("1 run(s) synced, 0 pending"), first.text);

            String experimentId = client.findExperimentByName("offline-sync").orElseThrow().experimentId();
            var runs = client.searchRuns(List.of(experimentId), null, 10, List.of(), null).items();
            assertEquals(1, runs.size());
            String runId = runs.get(0).info().runId();
            assertEquals(5_000, client.getMetricHistory(runId, "loss").size());
            assertEquals(RunStatus.FINISHED, client.getRun(runId).info().status());

            Output again = sync(spool);
            assertEquals(0, again.code, again.text);
            assertEquals(1, client.searchRuns(List.of(experimentId), null, 10, List.of(), null).items().size());
            assertEquals(5_000, client.getMetricHistory(runId, "loss").size());
        }
    }

    @Test
    void syncDeliversTheGoodEntriesOfABatchAndReportsTheOneTheServerRefuses() {
        Path spool = tmp.resolve("spool");
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")))) {
            String uri = "http://127.0.0.1:" + server.port();
            // a spool left by a writer that did not check keys (the SDK's own Run.log refuses this one)
            Path dir = spool.resolve("0123456789abcdef0123456789abcdef");
            new RunMeta(dir.getFileName().toString(), uri, "refusals", "hand-written", "test", 0, Map.of(), null, null, null, null)
                    .write(dir);
            try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, key -> { })) {
                for (int step = 0; step < 999; step++) {
                    w.metric("loss", step, 1_000 + step, step);
                }
                w.metric("acc%", 0.5, 2_000, 0);
                w.status(RunStatus.FINISHED.ordinal(), 3_000);
            }

            Output out = sync(spool);
            assertEquals(0, out.code, out.text);
            assertTrue(out.text.contains("(1001 records); 1 entries refused by the server: metric 'acc%' (INVALID_PARAMETER_VALUE)"),
                    out.text);
            assertTrue(out.text.contains("1 run(s) synced, 0 pending"), out.text);

            TrackingClient client = TrackingClient.of(uri);
            String experimentId = client.findExperimentByName("refusals").orElseThrow().experimentId();
            var run = client.searchRuns(List.of(experimentId), null, 10, List.of(), null).items().get(0);
            assertEquals(999, client.getMetricHistory(run.info().runId(), "loss").size());
            assertEquals(List.of("loss"), run.data().metrics().stream().map(m -> m.key()).toList());
            assertEquals(RunStatus.FINISHED, run.info().status());
        }
    }

    record Output(int code, String text) {}

    private static Output sync(Path spool) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute("sync", "--spool-dir", spool.toString(), "--timeout", "60");
            return new Output(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }
}
