package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Run#logInput}: dataset inputs go through the spool, survive outages and are never duplicated. */
class DatasetInputTest {
    static final Dataset IMDB = new Dataset("imdb", "4d287d91", "local", "{\"uri\": \"/data/aclImdb\"}",
            "{\"mlflow_colspec\": [{\"name\": \"text\", \"type\": \"string\"}]}", "{\"train_rows\": 25000}");
    static final Dataset IMDB_TEST = new Dataset("imdb-test", "77aa01bc", "local", "{\"uri\": \"/data/aclImdb/test\"}", null, null);

    @TempDir
    Path tmp;

    RunOptions options(String uri, String experiment) {
        return new RunOptions().setExperiment(experiment).optTrackingUri(uri).optSpoolDir(tmp.resolve("spool"))
                .optSystemMetrics(false).optCaptureEnvironment(false).optTimeout(Duration.ofSeconds(30));
    }

    static DatasetInput only(TrackingClient client, String runId, String name) {
        List<DatasetInput> inputs = client.getRun(runId).inputs().datasetInputs();
        List<DatasetInput> named = inputs.stream().filter(i -> i.dataset().name().equals(name)).toList();
        assertEquals(1, named.size(), inputs.toString());
        return named.get(0);
    }

    @Test
    void inputsReachTheServerWithEveryFieldAndRepeatsAddNothing() {
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            String runId;
            try (Run run = Labbook.init(options(server.uri(), "inputs"))) {
                runId = run.id();
                run.logInput(IMDB, "train");
                run.logInput(IMDB, "train");
                run.logInput(new DatasetInput(List.of(new InputTag(Run.CONTEXT_TAG, "eval")), IMDB_TEST));
                run.log("loss", 0.5);
                run.logInput(IMDB, "train");
                DeliveryReport r = run.flush();
                assertTrue(r.complete() && r.droppedRecords() == 0, r.toString());
            }
            TrackingClient client = server.client();
            assertEquals(2, client.getRun(runId).inputs().datasetInputs().size());
            DatasetInput train = only(client, runId, "imdb");
            assertEquals(IMDB, train.dataset());
            assertEquals(List.of(new InputTag("mlflow.data.context", "train")), train.tags());
            DatasetInput eval = only(client, runId, "imdb-test");
            assertEquals("77aa01bc", eval.dataset().digest());
            assertNull(eval.dataset().schema());
            assertEquals(RunStatus.FINISHED, client.getRun(runId).info().status());
            var found = client.searchRuns(List.of(client.getRun(runId).info().experimentId()),
                    "datasets.digest = '4d287d91'", 10, List.of(), null).items();
            assertEquals(1, found.size(), "searchable by the dataset's digest");
        }
    }

    @Test
    void anIncompleteInputFailsOnTheCallersThreadWithoutReachingTheSpool() {
        try (Run run = Labbook.init(options(tmp.resolve("local").toString(), "bad-inputs").optOffline(true))) {
            long before = run.flush().pendingRecords();
            LabbookException e = assertThrows(LabbookException.class,
                    () -> run.logInput(new Dataset("imdb", null, "local", "{}", null, null), "train"));
            assertTrue(e.getMessage().contains("digest"), e.getMessage());
            assertThrows(LabbookException.class, () -> run.logInput(null));
            assertThrows(LabbookException.class, () -> run.logInput(new DatasetInput(List.of(new InputTag("", "x")), IMDB)));
            assertEquals(before, run.flush().pendingRecords());
        }
    }

    @Test
    void anInputLoggedWhileTheServerIsDownArrivesOnceItIsBack() {
        int port = TestServer.freePort();
        Run run = Labbook.init(options("http://127.0.0.1:" + port, "outage"));
        run.logInput(IMDB, "train");
        run.log("loss", 1.0, 0);
        assertTrue(!run.flush(Duration.ofMillis(300)).complete(), "nothing can be delivered yet");
        try (TestServer server = TestServer.start(tmp.resolve("data"), port)) {
            DeliveryReport r = run.finish();
            assertTrue(r.complete(), r.toString());
            assertEquals("4d287d91", only(server.client(), run.id(), "imdb").dataset().digest());
        }
    }

    @Test
    void syncDeliversAnOfflineInputAndAReplayOfTheSameSpoolDuplicatesNothing() throws IOException {
        Path spool = tmp.resolve("spool");
        Path copy = tmp.resolve("spool-copy");
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            Run run = Labbook.init(options(server.uri(), "replay").optOffline(true));
            run.logParam("lr", 0.1);
            run.logInput(IMDB, "train");
            for (int step = 0; step < 100; step++) {
                run.log("loss", 1.0 / (step + 1), step);
            }
            run.finish();
            // the same records, not yet delivered: what a process killed after a request but
            // before its checkpoint moved would replay
            copyTree(spool, copy);

            Sync.Result first = Sync.one(run.spoolDir(), null, Duration.ofSeconds(30));
            assertTrue(first.complete(), String.valueOf(first));
            Sync.Result replay = Sync.one(copy.resolve(run.clientId()), null, Duration.ofSeconds(30));
            assertTrue(replay.complete(), String.valueOf(replay));
            assertEquals(first.runId(), replay.runId(), "the replay found the run by its client id");
            assertEquals(first.records(), replay.records(), "every record was sent again");

            TrackingClient client = server.client();
            assertEquals(1, client.getRun(first.runId()).inputs().datasetInputs().size());
            assertEquals(IMDB, only(client, first.runId(), "imdb").dataset());
            assertEquals(100, client.getMetricHistory(first.runId(), "loss").size());
            String experimentId = client.getRun(first.runId()).info().experimentId();
            assertEquals(1, client.searchRuns(List.of(experimentId), null, 10, List.of(), null).items().size());
        }
    }

    @Test
    void aLocalStoreRecordsInputsToo() {
        Path data = tmp.resolve("local");
        String runId;
        try (Run run = Labbook.init(options(data.toString(), "local-inputs"))) {
            runId = run.id();
            run.logInput(IMDB, "train");
        }
        try (TestServer server = TestServer.start(data)) {
            assertEquals(IMDB, only(server.client(), runId, "imdb").dataset());
        }
    }

    @Test
    void detachingHandsAnUndeliveredSpoolToSync() {
        int port = TestServer.freePort();
        Run run = Labbook.init(options("http://127.0.0.1:" + port, "detach"));
        assertThrows(LabbookException.class, run::detach, "a running run cannot be detached");
        run.logInput(IMDB, "train");
        DeliveryReport r = run.finish(RunStatus.FINISHED, Duration.ofMillis(500));
        assertTrue(!r.complete(), r.toString());
        assertEquals("in use by a running process", Sync.one(run.spoolDir(), null, Duration.ofSeconds(1)).error(),
                "the live sender still holds the spool");
        run.detach();
        try (TestServer server = TestServer.start(tmp.resolve("data"), port)) {
            Sync.Result s = Sync.one(run.spoolDir(), null, Duration.ofSeconds(30));
            assertTrue(s.complete(), String.valueOf(s));
            assertEquals(RunStatus.FINISHED, server.client().getRun(s.runId()).info().status());
            assertEquals(IMDB, only(server.client(), s.runId(), "imdb").dataset());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
