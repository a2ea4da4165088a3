package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing logged is lost, nothing is stored twice: server outages, killed processes, replays. */
class DurabilityTest {
    @TempDir
    Path tmp;

    RunOptions options(String uri) {
        return new RunOptions().setExperiment("durable").optTrackingUri(uri).optSpoolDir(tmp.resolve("spool"))
                .optSystemMetrics(false).optCaptureEnvironment(false).optTimeout(Duration.ofSeconds(60));
    }

    static void assertExactly(TrackingClient client, String runId, String key, int n) {
        List<Metric> history = client.getMetricHistory(runId, key);
        assertEquals(n, history.size(), "points of " + key);
        assertEquals(n, history.stream().map(Metric::step).collect(Collectors.toSet()).size(), "distinct steps of " + key);
    }

    @Test
    void serverDownAtInitThenUp() {
        int port = TestServer.freePort();
        String uri = "http://127.0.0.1:" + port;
        Run run = Labbook.init(options(uri).optConfig(Map.of("lr", 0.1)));
        assertNull(run.id(), "no server: the run is not created yet");
        for (int i = 0; i < 3000; i++) {
            run.log("loss", i);
        }
        DeliveryReport early = run.flush(Duration.ofMillis(300));
        assertTrue(!early.complete() && early.pendingRecords() > 0, early.toString());
        try (TestServer server = TestServer.start(tmp.resolve("data"), port)) {
            DeliveryReport r = run.finish();
            assertTrue(r.complete(), r.toString());
            assertExactly(server.client(), run.id(), "loss", 3000);
            assertEquals(RunStatus.FINISHED, server.client().getRun(run.id()).info().status());
        }
    }

    @Test
    void serverKilledWithSigkillMidRunAndRestartedOnTheSameStore() throws Exception {
        int port = TestServer.freePort();
        Path data = tmp.resolve("data");
        int n = 100_000;
        Child server = Child.start(List.of("-Xmx256m"), ChildServerMain.class, Integer.toString(port), data.toString());
        Run run;
        try {
            server.await("READY", 60);
            run = Labbook.init(options("http://127.0.0.1:" + port).optTimeout(Duration.ofMinutes(2)));
            for (int i = 0; i < n / 2; i++) {
                run.log("loss", Math.sin(i), i);
                if (i % 1000 == 999) {
                    Thread.sleep(1); // keep deliveries going while the server dies
                }
            }
            server.kill();
            for (int i = n / 2; i < n; i++) {
                run.log("loss", Math.sin(i), i);
            }
        } finally {
            server.close();
        }
        Child restarted = Child.start(List.of("-Xmx256m"), ChildServerMain.class, Integer.toString(port), data.toString());
        try {
            restarted.await("READY", 60);
            DeliveryReport r = run.finish();
            assertTrue(r.complete(), r.toString());
            TrackingClient client = TrackingClient.of("http://127.0.0.1:" + port);
            assertExactly(client, run.id(), "loss", n);
            assertEquals(RunStatus.FINISHED, client.getRun(run.id()).info().status());
        } finally {
            restarted.close();
        }
    }

    @Test
    void trainingProcessKilledThenSyncRecoversEverything() throws Exception {
        int n = 200_000;
        Path spool = tmp.resolve("spool");
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            String clientId;
            try (Child training = Child.start(List.of("-Xmx256m"), ChildTrainingMain.class, server.uri(), spool.toString(),
                    Integer.toString(n))) {
                clientId = training.await("RUN ", 60).substring(4);
                training.await("LOGGED", 60);
                training.kill();
            }
            List<Sync.Result> results = Sync.all(spool, null, Duration.ofSeconds(60));
            assertEquals(1, results.size(), results.toString());
            Sync.Result r = results.get(0);
            assertTrue(r.complete(), r.toString());
            assertEquals(spool.resolve(clientId), r.spoolDir());
            assertExactly(server.client(), r.runId(), "loss", n);
            var run = server.client().getRun(r.runId());
            assertEquals(RunStatus.KILLED, run.info().status());
            assertTrue(run.data().tags().stream().anyMatch(t -> t.key().equals("last")));
            assertEquals(List.of(), Sync.all(spool, null, Duration.ofSeconds(10)), "a synced spool is done");
        }
    }

    @Test
    void offlineRunsSyncLaterAndReplaysNeverDuplicate() throws Exception {
        Path spool = tmp.resolve("spool");
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            Run run = Labbook.init(options(server.uri()).optOffline(true).optConfig(Map.of("batch", 32)));
            for (int i = 0; i < 2500; i++) {
                run.log(Map.of("a", i, "b", -i));
            }
            DeliveryReport offline = run.finish();
            assertTrue(!offline.complete() && offline.pendingRecords() == 5002, offline.toString());
            assertNull(run.id());
            // a first sync whose checkpoint is then lost: the replay must not duplicate anything
            copyTree(run.spoolDir(), tmp.resolve("replay").resolve(run.spoolDir().getFileName()));
            List<Sync.Result> first = Sync.all(spool, null, Duration.ofSeconds(30));
            assertTrue(first.get(0).complete(), first.toString());
            List<Sync.Result> replay = Sync.all(tmp.resolve("replay"), server.uri(), Duration.ofSeconds(30));
            assertTrue(replay.get(0).complete(), replay.toString());
            assertEquals(first.get(0).runId(), replay.get(0).runId(), "the replay found the run by its client id");
            assertExactly(server.client(), first.get(0).runId(), "a", 2500);
            assertExactly(server.client(), first.get(0).runId(), "b", 2500);
            assertEquals(RunStatus.FINISHED, server.client().getRun(first.get(0).runId()).info().status());
        }
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = java.nio.file.Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(dest);
                } else {
                    java.nio.file.Files.copy(p, dest);
                }
            }
        }
    }
}
