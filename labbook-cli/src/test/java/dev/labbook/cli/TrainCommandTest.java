package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.ViewType;
import dev.labbook.store.RunQuery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code labbook train sentiment} on a small part of the real IMDb archive, into an embedded store. */
class TrainCommandTest {

    static Path imdbArchive() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/datasets/aclImdb-labeled.tar.gz");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/datasets/aclImdb-labeled.tar.gz not found");
    }

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        java.io.PrintStream oldOut = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true));
        try {
            return new Outcome(cl.execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    static List<Run> runs(Path dataDir) {
        try (StoreTracking t = StoreTracking.embedded(dataDir)) {
            return t.store().getExperimentByName("imdb-sentiment")
                    .map(e -> t.store().searchRuns(new RunQuery(List.of(e.experimentId()), null, ViewType.ALL, 100, List.of(), null)).items())
                    .orElse(List.of());
        }
    }

    @Test
    void trainsNblrAndPrintsTheRunAndItsMetrics(@TempDir Path dir) {
        Outcome o = run("train", "sentiment", "--model", "nblr", "--data", imdbArchive().toString(), "--limit", "60",
                "--min-count", "1", "--tracking-uri", dir.toString(), "--register-model", "sentiment");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("FINISHED"), o.out());
        assertTrue(o.out().contains("test accuracy"), o.out());
        List<Run> runs = runs(dir);
        assertEquals(1, runs.size());
        assertEquals(RunStatus.FINISHED, runs.get(0).info().status());
        assertTrue(o.out().contains(runs.get(0).info().runId()));
        Path mlmodel = dir.resolve("artifacts/" + runs.get(0).info().experimentId() + "/" + runs.get(0).info().runId() + "/artifacts/model/MLmodel");
        assertTrue(Files.isRegularFile(mlmodel));
        codeVersionRecorded(runs.get(0), mlmodel);
        // a server over the same store shows MLflow 3 users the logged model and its registry version
        try (dev.labbook.server.LabbookServer server = dev.labbook.server.LabbookServer.start(
                dev.labbook.server.ServerConfig.embedded("127.0.0.1", 0, dir))) {
            dev.labbook.client.TrackingClient client = dev.labbook.client.TrackingClient.of("http://127.0.0.1:" + server.port());
            String runId = runs.get(0).info().runId();
            var logged = TrainedModelChecks.loggedModelOf(client, runId);
            TrainedModelChecks.registeredFrom(client.registry().getModelVersion("sentiment", "1"), logged, runId);
        }
        Outcome again = run("runs", "reproduce", runs.get(0).info().runId(), "--tracking-uri", dir.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("reproduced exactly"), again.out());
        assertEquals(2, runs(dir).size());
        // runs are named after what they tried, and stay unique: the reproduction gets a suffix
        String name = runs.get(0).info().runName();
        assertEquals("nblr-c1.0-ng3", name);
        assertTrue(runs(dir).stream().anyMatch(r -> r.info().runName().equals(name + "-2")), runs(dir).toString());
        try (StoreTracking t = StoreTracking.embedded(dir)) {
            var tags = t.store().getExperimentByName("imdb-sentiment").orElseThrow().tags();
            assertTrue(tags.contains(new dev.labbook.core.model.ExperimentTag("labbook.primary_metric", "test_accuracy")), tags.toString());
            assertTrue(tags.contains(new dev.labbook.core.model.ExperimentTag("labbook.primary_goal", "maximize")), tags.toString());
        }
        Outcome missing = run("runs", "reproduce", "0123456789abcdef", "--tracking-uri", dir.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no run 0123456789abcdef"), missing.err());
        try (StoreTracking t = StoreTracking.embedded(dir)) {
            Path model = t.downloadArtifact(runs.get(0).info().runId(), "model", dir.resolve("downloaded"));
            assertEquals("positive", dev.labbook.train.model.Models.load(model).predict("A great, moving film!").label());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A run trained into a local store records Labbook's build and the git state; MLmodel names the version. */
    private static void codeVersionRecorded(Run run, Path mlmodel) {
        java.util.Map<String, String> tags = new java.util.HashMap<>();
        run.data().tags().forEach(t -> tags.put(t.key(), t.value()));
        dev.labbook.core.provenance.BuildInfo build = dev.labbook.core.provenance.BuildInfo.current();
        assertEquals(build.version(), tags.get("labbook.version"));
        assertTrue(tags.get("labbook.build.commit").startsWith(build.commit()), tags.toString());
        java.util.Optional<dev.labbook.core.provenance.GitState> git = dev.labbook.core.provenance.GitState.ofWorkingDirectory();
        assertEquals(git.map(dev.labbook.core.provenance.GitState::commit).orElse(null), tags.get("mlflow.source.git.commit"));
        git.ifPresent(g -> assertEquals(Boolean.toString(g.dirty()), tags.get("labbook.git.dirty")));
        try {
            String text = Files.readString(mlmodel);
            assertTrue(text.contains("\"labbook_version\" : \"" + build.version() + "\""), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void quickstartTrainsBothModelsIntoTheStore(@TempDir Path dir) {
        Outcome o = run("quickstart", "--data", imdbArchive().toString(), "--limit", "40", "--no-server",
                "--tracking-uri", dir.toString());
        assertEquals(0, o.code(), o.err());
        List<Run> runs = runs(dir);
        assertEquals(QuickstartCommand.CONFIGS.size(), runs.size());
        assertTrue(runs.stream().allMatch(r -> r.info().status() == RunStatus.FINISHED));
        assertTrue(o.out().contains("fasttext") && o.out().contains("nblr"), o.out());
        // every model is a version of imdb-sentiment; the champion alias is on the best test accuracy
        try (dev.labbook.server.LabbookServer server = dev.labbook.server.LabbookServer.start(
                dev.labbook.server.ServerConfig.embedded("127.0.0.1", 0, dir))) {
            dev.labbook.client.ModelRegistryClient registry =
                    dev.labbook.client.TrackingClient.of("http://127.0.0.1:" + server.port()).registry();
            List<dev.labbook.core.registry.ModelVersion> versions =
                    registry.searchModelVersions("name = 'imdb-sentiment'", 100, List.of(), null).items();
            assertEquals(QuickstartCommand.CONFIGS.size(), versions.size());
            java.util.Map<String, Double> accuracy = new java.util.HashMap<>();
            for (Run r : runs) {
                r.data().metrics().stream().filter(m -> m.key().equals("test_accuracy"))
                        .forEach(m -> accuracy.put(r.info().runId(), m.value()));
            }
            double best = java.util.Collections.max(accuracy.values());
            dev.labbook.core.registry.ModelVersion champion = registry.getModelVersionByAlias("imdb-sentiment", "champion");
            assertEquals(best, accuracy.get(champion.runId()));
            assertTrue(o.out().contains("models:/imdb-sentiment@champion is version " + champion.version()), o.out());
        }
    }

    @Test
    void badInputsPrintOneLineAndExitNonZeroWithoutARun(@TempDir Path dir) {
        String data = imdbArchive().toString();
        for (String[] args : List.of(
                new String[] {"--model", "svm", "--data", data},
                new String[] {"--model", "nblr", "--c", "-1", "--data", data},
                new String[] {"--model", "fasttext", "--lr", "0", "--data", data},
                new String[] {"--model", "nblr", "--data", dir.resolve("missing.tar.gz").toString()})) {
            List<String> all = new java.util.ArrayList<>(List.of("train", "sentiment", "--tracking-uri", dir.toString()));
            all.addAll(List.of(args));
            Outcome o = run(all.toArray(String[]::new));
            assertNotEquals(0, o.code());
            assertTrue(o.err().startsWith("labbook: "), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
        }
        assertTrue(!Files.exists(dir.resolve("labbook.db")) || runs(dir).isEmpty());
    }
}
