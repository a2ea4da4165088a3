package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.ArtifactInfo;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.train.model.Models;
import dev.labbook.train.model.SentimentModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labbook train sentiment --tracking-uri http://...}: a real server in this JVM, the real
 * IMDb archive (a small part of it), checked through the REST API.
 */
class TrainOverHttpTest {
    static final String[] REVIEWS = {"A great, moving film!", "Dull and far too long; the worst acting I have seen.",
        "Not bad at all, though the ending drags."};

    @TempDir
    Path tmp;

    String[] train(String uri, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "sentiment", "--data",
                TrainCommandTest.imdbArchive().toString(), "--limit", "60", "--min-count", "1", "--tracking-uri", uri,
                "--spool-dir", tmp.resolve("spool").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static Run onlyRun(TrackingClient client, String experiment) {
        String id = client.findExperimentByName(experiment).orElseThrow().experimentId();
        List<Run> runs = client.searchRuns(List.of(id), null, 10, List.of(), null).items();
        assertEquals(1, runs.size(), runs.toString());
        return client.getRun(runs.get(0).info().runId());
    }

    static Map<String, String> params(Run r) {
        return r.data().params().stream().collect(Collectors.toMap(Param::key, Param::value));
    }

    static Map<String, Double> metrics(Run r) {
        return r.data().metrics().stream().collect(Collectors.toMap(Metric::key, Metric::value));
    }

    @Test
    void nblrLogsEverythingToTheServerAsTheLocalStoreWouldAndReproducesOverHttp() throws Exception {
        Path local = tmp.resolve("local");
        CliRun localRun = CliRun.of(train(local.toString(), "--model", "nblr"));
        assertEquals(0, localRun.code(), localRun.err());
        Run expected;
        try (StoreTracking t = StoreTracking.embedded(local)) {
            String experimentId = t.store().getExperimentByName("imdb-sentiment").orElseThrow().experimentId();
            expected = t.store().searchRuns(new dev.labbook.store.RunQuery(List.of(experimentId), null,
                    dev.labbook.core.model.ViewType.ALL, 10, List.of(), null)).items().get(0);
        }

        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")))) {
            String uri = "http://127.0.0.1:" + server.port();
            CliRun o = CliRun.of(train(uri, "--model", "nblr", "--register-model", "sentiment"));
            assertEquals(0, o.code(), o.err() + o.out());
            assertEquals("", o.err());
            TrackingClient client = TrackingClient.of(uri);
            Run run = onlyRun(client, "imdb-sentiment");
            String runId = run.info().runId();
            var logged = TrainedModelChecks.loggedModelOf(client, runId);
            var version = client.registry().getModelVersion("sentiment", "1");
            TrainedModelChecks.registeredFrom(version, logged, runId);
            assertTrue(o.out().contains("registered as models:/sentiment/1"), o.out());
            assertTrue(o.out().contains("run " + runId + " FINISHED"), o.out());
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertNotNull(run.info().endTime());

            assertEquals(params(expected), params(run), "the same params as a run into the local store");
            assertEquals("nblr", params(run).get("model"));
            // named after what it tried; the experiment's primary metric for the dashboard
            assertEquals(expected.info().runName(), run.info().runName());
            assertTrue(run.info().runName().startsWith("nblr-c1.0-ng"), run.info().runName());
            var experiment = client.findExperimentByName("imdb-sentiment").orElseThrow();
            Map<String, String> expTags = experiment.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
            assertEquals("test_accuracy", expTags.get("labbook.primary_metric"));
            assertEquals("maximize", expTags.get("labbook.primary_goal"));
            Map<String, Double> m = metrics(run);
            for (String key : List.of("test_accuracy", "test_f1", "test_roc_auc", "test_log_loss", "test_tp", "val_accuracy",
                    "vocabulary_size", "train_rows", "test_rows")) {
                assertEquals(metrics(expected).get(key), m.get(key), key);
            }
            assertTrue(o.out().contains(String.format(Locale.ROOT, "test accuracy  %.4f", m.get("test_accuracy"))), o.out());
            assertTrue(m.containsKey("tracking_overhead"));
            Map<String, String> tags = run.data().tags().stream().collect(Collectors.toMap(RunTag::key, RunTag::value));
            assertEquals("nblr", tags.get("labbook.model"));
            assertEquals("labbook train sentiment", tags.get("mlflow.source.name"));

            List<DatasetInput> inputs = run.inputs().datasetInputs();
            assertEquals(1, inputs.size(), inputs.toString());
            assertEquals(expected.inputs().datasetInputs().get(0).dataset(), inputs.get(0).dataset());
            assertEquals("train", inputs.get(0).tags().get(0).value());
            assertTrue(inputs.get(0).dataset().profile().contains("content_sha256"));

            assertEquals(List.of("config.json", "environment", "mistakes.tsv", "model", "plots"),
                    client.listArtifacts(runId, "").stream().map(ArtifactInfo::path).sorted().toList());
            assertEquals(List.of("plots/confusion_matrix.png", "plots/roc_curve.png", "plots/score_histogram.png"),
                    client.listArtifacts(runId, "plots").stream().map(ArtifactInfo::path).sorted().toList());
            try (CliTracking t = CliTracking.open(uri, tmp.resolve("spool"), Duration.ofSeconds(30));
                 StoreTracking s = StoreTracking.embedded(local)) {
                Path fromServer = t.downloadArtifact(runId, "model", tmp.resolve("from-server"));
                Path fromStore = s.downloadArtifact(expected.info().runId(), "model", tmp.resolve("from-store"));
                assertTrue(Files.isRegularFile(fromServer.resolve("MLmodel")));
                SentimentModel a = Models.load(fromServer);
                SentimentModel b = Models.load(fromStore);
                assertEquals("positive", a.predict(REVIEWS[0]).label());
                assertTrue(java.util.Arrays.equals(b.scoreAll(List.of(REVIEWS)), a.scoreAll(List.of(REVIEWS))),
                        "the downloaded model predicts as the one trained into the local store");
                assertEquals("config.json", t.downloadArtifact(runId, "config.json", tmp.resolve("config.json")).getFileName().toString());
            }
            Path spool = Files.list(tmp.resolve("spool")).findFirst().orElseThrow();
            assertTrue(Files.exists(spool.resolve("delivered")), "the spool was delivered");
            assertFalse(Files.exists(spool.resolve("kept-artifacts")), "the kept copies of the artifacts are gone once delivered");

            CliRun again = CliRun.of("runs", "reproduce", runId, "--tracking-uri", uri, "--spool-dir", tmp.resolve("spool").toString());
            assertEquals(0, again.code(), again.err() + again.out());
            assertTrue(again.out().contains("reproduced exactly"), again.out());
            String experimentId = run.info().experimentId();
            List<Run> both = client.searchRuns(List.of(experimentId), "datasets.digest = '"
                    + inputs.get(0).dataset().digest() + "'", 10, List.of(), null).items();
            assertEquals(2, both.size(), "the reproduction recorded the same dataset");
            assertTrue(both.stream().allMatch(r -> r.inputs().datasetInputs().size() == 1));
            assertTrue(both.stream().anyMatch(r -> r.data().tags().contains(new RunTag("labbook.reproduces", runId))));

            CliRun missing = CliRun.of("runs", "reproduce", "0123456789abcdef", "--tracking-uri", uri);
            assertEquals(1, missing.code());
            assertEquals("labbook: no run 0123456789abcdef in " + uri, missing.err().strip());
        }
    }

    @Test
    void fasttextLogsItsEpochAndStepMetricsToTheServer() {
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")))) {
            String uri = "http://127.0.0.1:" + server.port();
            CliRun o = CliRun.of(train(uri, "--model", "fasttext", "--epochs", "2", "--batch-size", "16", "--patience", "5",
                    "--experiment", "ft"));
            assertEquals(0, o.code(), o.err() + o.out());
            TrackingClient client = TrackingClient.of(uri);
            Run run = onlyRun(client, "ft");
            String runId = run.info().runId();
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertEquals(List.of(1L, 2L), client.getMetricHistory(runId, "train_loss").stream().map(Metric::step).toList());
            assertEquals(List.of(1L, 2L), client.getMetricHistory(runId, "val_loss").stream().map(Metric::step).toList());
            assertEquals(List.of(0L, 1L, 2L), client.getMetricHistory(runId, "val_accuracy").stream().map(Metric::step).toList(),
                    "per epoch (1, 2), and the final evaluation (0)");
            List<Long> steps = client.getMetricHistory(runId, "batch_loss").stream().map(Metric::step).toList();
            assertTrue(steps.size() >= 2 && steps.equals(steps.stream().sorted().distinct().toList()), steps.toString());
            assertEquals("fasttext", params(run).get("model"));
            assertTrue(client.listArtifacts(runId, "plots").stream().anyMatch(a -> a.path().equals("plots/learning_curves.png")));
            assertEquals(1, run.inputs().datasetInputs().size());
        }
    }

    @Test
    void aServerLostMidRunLeavesTheRunToSyncAndAReplayOfTheWholeSpoolDuplicatesNothing() throws Exception {
        Path data = tmp.resolve("data");
        Path spool = tmp.resolve("spool");
        LabbookServer[] server = {LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, data))};
        int port = server[0].port();
        String uri = "http://127.0.0.1:" + port;
        try {
            // the server goes away right after the run was created, before anything was trained
            CliRun o = CliRun.of(line -> {
                if (line.startsWith("run ") && line.contains(" started in experiment")) {
                    server[0].close();
                }
            }, train(uri, "--model", "nblr", "--delivery-timeout", "2"));
            assertEquals(1, o.code(), o.out());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            String runId = o.out().lines().filter(l -> l.contains(" started in experiment")).findFirst().orElseThrow().split(" ")[1];
            assertTrue(o.err().startsWith("labbook: run " + runId + " ended FINISHED, but the tracking server at " + uri
                    + " does not have all of it yet"), o.err());
            assertTrue(o.err().contains("Run `./labbook sync --spool-dir " + spool + "` once the server is reachable"), o.err());
            try (StoreTracking store = StoreTracking.embedded(data)) {
                assertEquals(RunStatus.RUNNING, store.getRun(runId).orElseThrow().info().status(), "not FINISHED on the server");
            }

            // a copy of the spool without its checkpoint: a replay of every record, delivered or not
            Path copy = tmp.resolve("spool-copy");
            try (var files = Files.walk(spool)) {
                for (Path p : files.toList()) {
                    Path t = copy.resolve(spool.relativize(p).toString());
                    String name = p.getFileName().toString();
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else if (!name.equals("lock") && !name.equals("checkpoint")) {
                        Files.copy(p, t);
                    }
                }
            }

            server[0] = LabbookServer.start(ServerConfig.embedded("127.0.0.1", port, data));
            CliRun sync = CliRun.of("sync", "--spool-dir", spool.toString(), "--timeout", "60");
            assertEquals(0, sync.code(), sync.out());
            assertTrue(sync.out().contains("1 run(s) synced, 0 pending"), sync.out());
            TrackingClient client = TrackingClient.of(uri);
            Run run = client.getRun(runId);
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertEquals(1, run.inputs().datasetInputs().size());
            assertTrue(metrics(run).containsKey("test_accuracy"));
            List<String> artifacts = client.listArtifacts(runId, "model").stream().map(ArtifactInfo::path).toList();
            assertTrue(artifacts.contains("model/MLmodel"), artifacts.toString());

            CliRun replay = CliRun.of("sync", "--spool-dir", copy.toString(), "--timeout", "60");
            assertEquals(0, replay.code(), replay.out());
            assertTrue(records(sync.out()) > 0 && records(replay.out()) >= records(sync.out()),
                    "the replay sent every record again: " + sync.out() + replay.out());
            Run after = onlyRun(client, "imdb-sentiment");
            assertEquals(runId, after.info().runId(), "the replay found the same run");
            assertEquals(1, after.inputs().datasetInputs().size(), "the dataset input was not duplicated");
            assertEquals(run.inputs(), after.inputs());
            assertEquals(params(run), params(after));
            assertEquals(metrics(run), metrics(after));
            for (Metric m : after.data().metrics()) {
                assertEquals(1, client.getMetricHistory(runId, m.key()).stream().filter(p -> p.key().equals(m.key()) && p.step() == m.step()
                        && p.timestamp() == m.timestamp()).count(), m.key() + " stored once");
            }
            assertEquals(RunStatus.FINISHED, after.info().status());
        } finally {
            server[0].close();
        }
    }

    /** The records count of {@code labbook sync}'s line for the one run it synced. */
    static long records(String syncOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+) records\\)").matcher(syncOutput);
        assertTrue(m.find(), syncOutput);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aServerThatIsNotThereFailsAtOnceWithOneLineAndLogsNothing() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + port;
        for (String[] args : List.of(train(uri, "--model", "nblr"),
                new String[] {"runs", "reproduce", "0123456789abcdef", "--tracking-uri", uri})) {
            CliRun o = CliRun.of(args);
            assertEquals(1, o.code());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().startsWith("labbook: cannot reach the tracking server at " + uri + " (connection refused)"), o.err());
            assertFalse(o.out().contains("data:"), "nothing was loaded or trained: " + o.out());
        }
        assertFalse(Files.exists(tmp.resolve("spool")), "no run was spooled");
    }
}
