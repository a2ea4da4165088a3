package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.serving.ModelService;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.data.TabularLoader;
import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.model.NbLrModel;
import dev.labbook.train.model.NbLrParams;
import dev.labbook.train.model.NbLrTrainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labbook models ...} against a real Labbook server in this JVM, with a real NB-LR model
 * trained on the UCI sentences and logged to a run through the artifact proxy.
 */
class ModelsCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LabbookServer server;
    static String uri;
    static NbLrModel model;
    static String runId;
    static Path csv;

    @BeforeAll
    static void trainAndLog() throws Exception {
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir.resolve("server")));
        uri = "http://127.0.0.1:" + server.port();
        csv = TrainCommandTest.imdbArchive().resolveSibling("uci-sentences").resolve("sentences.csv");
        LabeledData data = new TabularLoader("text", "label", 0.2, 7).load(csv);
        NgramConfig ngrams = new NgramConfig(1, 2, 1, 100_000);
        NgramVocabulary.Built built = NgramVocabulary.build(data.train().stream().map(Review::text).toList(), ngrams);
        model = new NbLrTrainer(new NbLrParams(1.0, ngrams, 1.0, 0.1)).train(built.vocabulary(), built.encoded(),
                data.train().stream().mapToInt(Review::label).toArray(), 1);
        model.save(dir.resolve("model"));
        TrackingClient client = TrackingClient.of(uri);
        Run run = client.createRun(client.getOrCreateExperiment("cli-models"), "nblr", System.currentTimeMillis(), List.of());
        runId = run.info().runId();
        client.logBatch(runId, List.of(new Metric("test_accuracy", 0.81, System.currentTimeMillis(), 0)), List.of(), List.of());
        client.uploadArtifacts(run.info().artifactUri(), "model", dir.resolve("model"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliRun cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--tracking-uri";
        all[args.length + 1] = uri;
        all[args.length + 2] = "--cache-dir";
        all[args.length + 3] = dir.resolve("cache").toString();
        return CliRun.of(all);
    }

    static void assertOk(CliRun r) {
        assertEquals(0, r.code(), r.out() + r.err());
    }

    static void assertOneLineError(CliRun r, String text) {
        assertNotEquals(0, r.code(), r.out());
        assertTrue(r.err().startsWith("labbook: ") && r.err().strip().lines().count() == 1, r.err());
        assertTrue(r.err().contains(text), r.err());
    }

    @Test
    void theRegistryFlowServeAndPredict() throws Exception {
        CliRun reg = cli("models", "register", "--run-id", runId, "--name", "uci");
        assertOk(reg);
        assertTrue(reg.out().contains("registered runs:/" + runId + "/model as models:/uci/1"), reg.out());
        assertOk(cli("models", "register", "--run-id", runId, "--artifact-path", "model", "--name", "uci"));
        assertOk(cli("models", "alias", "set", "uci", "champion", "1"));

        CliRun list = cli("models", "list");
        assertOk(list);
        assertTrue(list.out().matches("(?s)uci\\s+latest 2\\s+@champion=1\\s*"), list.out());
        CliRun versions = cli("models", "versions", "uci");
        assertOk(versions);
        assertTrue(versions.out().contains("uci: 2 version(s)"), versions.out());
        assertTrue(versions.out().matches("(?s).*\\n\\s+2\\s+run " + runId + "\\s+test_accuracy=0.81\\n\\s+1\\s+@champion\\s+run .*"),
                versions.out());
        CliRun describe = cli("models", "describe", "models:/uci@champion");
        assertOk(describe);
        JsonNode d = JSON.readTree(describe.out());
        assertEquals("1", d.get("version").asText());
        assertEquals(runId, d.get("run_id").asText());
        assertEquals("0.81", d.get("tags").get("test_accuracy").asText());
        assertTrue(d.get("download_uri").asText().endsWith("/artifacts/model"), describe.out());
        CliRun latest = cli("models", "describe", "models:/uci/latest");
        assertOk(latest);
        assertEquals("2", JSON.readTree(latest.out()).get("version").asText());

        // serve the champion on a free port and score a review through the printed address
        AtomicInteger port = new AtomicInteger();
        Pattern listening = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/invocations");
        CliRun serve = CliRun.of(line -> {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                port.set(Integer.parseInt(m.group(1)));
            }
        }, "models", "serve", "-m", "models:/uci@champion", "-p", "0", "-w", "2", "-t", "10", "--tracking-uri", uri,
                "--cache-dir", dir.resolve("cache").toString());
        ModelService running = ModelsServeCommand.running;
        try {
            assertEquals(ServerCommand.KEEP_RUNNING, serve.code(), serve.err());
            assertTrue(serve.out().contains("serving uci/1") && serve.out().contains("try: curl -s http://127.0.0.1:"), serve.out());
            String text = "A wonderful film, I loved every minute.";
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.get() + "/invocations")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [\"" + text + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            assertEquals("uci/1", res.headers().firstValue("X-Labbook-Model-Version").orElse(null));
            assertEquals(model.score(text), JSON.readTree(res.body()).get("predictions").get(0).get("score").asDouble(), 0.0);
        } finally {
            running.close();
        }

        Path out = dir.resolve("scored.csv");
        CliRun predict = cli("models", "predict", "-m", "models:/uci/2", "-i", csv.toString(), "-o", out.toString());
        assertOk(predict);
        assertTrue(predict.out().contains("scored 3,000 rows with uci/2"), predict.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("text,label,predicted_label,predicted_score", lines.get(0));
        assertEquals(3001, lines.size());

        Path jarDir = Files.createDirectories(dir.resolve("jars"));
        CliRun pack = cli("models", "package", "-m", "models:/uci@champion", "-o", jarDir.toString());
        assertOk(pack);
        assertTrue(Files.isRegularFile(jarDir.resolve("uci-1.jar")), pack.out());

        assertOk(cli("models", "alias", "delete", "uci", "champion"));
        assertOneLineError(cli("models", "describe", "models:/uci@champion"), "champion");
    }

    @Test
    void mistakesAreOneActionableLine() {
        assertOneLineError(CliRun.of("models", "list", "--tracking-uri", "./labbook-data"), "is a local store");
        assertOneLineError(cli("models", "versions", "no-such-model"), "no-such-model");
        assertOneLineError(cli("models", "register", "--run-id", runId, "--artifact-path", "plots", "--name", "x"), "--artifact-path");
        assertOneLineError(cli("models", "alias", "set", "no-such-model", "champion", "1"), "no-such-model");
        assertOneLineError(cli("models", "describe", "runs:/abc/model"), "models:/NAME@ALIAS");
        assertOneLineError(cli("models", "serve", "-m", "models:/uci", "-p", "0"), "models:/NAME/VERSION");
        assertOneLineError(cli("models", "serve", "-m", dir.resolve("nowhere").toString(), "-p", "0"), "No model directory");
        assertOneLineError(cli("models", "predict", "-m", dir.resolve("model").toString(), "-i", dir.resolve("x.txt").toString(),
                "-o", dir.resolve("o.csv").toString()), ".csv or a .jsonl");
    }
}
