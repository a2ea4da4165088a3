package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optRunId}: logging into a run that exists (a sweep trial's), on a server and in a local store. */
class ExistingRunTest {
    @TempDir
    Path tmp;

    private RunOptions options(String uri) {
        return new RunOptions().setExperiment("ignored").optTrackingUri(uri).optSpoolDir(tmp.resolve("spool"))
                .optSystemMetrics(false).optCaptureEnvironment(false);
    }

    @Test
    void logsIntoTheGivenRunOnAServer() {
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            TrackingClient client = server.client();
            String experiment = client.createExperiment("sweeps");
            String runId = client.createRun(experiment, "trial-0", System.currentTimeMillis(), List.of()).info().runId();
            try (dev.labbook.client.Run run = Labbook.init(options(server.uri()).optRunId(runId).optConfig(java.util.Map.of("lr", 0.1)))) {
                assertEquals(runId, run.id());
                run.log("loss", 0.5, 1);
            }
            Run got = client.getRun(runId);
            assertEquals(RunStatus.FINISHED, got.info().status());
            assertEquals("trial-0", got.info().runName(), "the run keeps its name");
            assertEquals(0.5, client.getMetricHistory(runId, "loss").get(0).value());
            assertEquals(1, client.searchRuns(List.of(experiment), null, 10, List.of(), null).items().size(), "no new run");
            LabbookException e = assertThrows(LabbookException.class, () -> Labbook.init(options(server.uri()).optRunId("0123456789abcdef")));
            assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
        }
    }

    @Test
    void logsIntoTheGivenRunInALocalStore() {
        Path data = tmp.resolve("local");
        String runId;
        try (dev.labbook.client.Run first = Labbook.init(options(data.toString()))) {
            runId = first.id();
        }
        try (dev.labbook.client.Run again = Labbook.init(options(data.toString()).optRunId(runId))) {
            again.log("acc", 0.9, 3);
        }
        try (var store = dev.labbook.store.jdbc.JdbcTrackingStore.open(
                dev.labbook.client.internal.Target.of(data.toString()).storeUri())) {
            assertEquals(0.9, store.getMetricHistory(runId, "acc", 10, null).items().get(0).value());
        }
    }
}
