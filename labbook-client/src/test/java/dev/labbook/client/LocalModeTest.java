package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.internal.Artifacts;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No server: the run goes straight into a local store that a server started later serves. */
class LocalModeTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryTrackingUriWritesTheServersStoreAndArtifactLayout() throws Exception {
        Path data = tmp.resolve("data");
        Path file = Files.writeString(tmp.resolve("model.txt"), "weights");
        String runId;
        String artifactUri;
        try (Run run = Labbook.init(new RunOptions().setExperiment("local").optTrackingUri(data.toString())
                .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(true)
                .optSystemMetricsInterval(java.time.Duration.ofMillis(200)).optConfig(Map.of("k", 1)))) {
            runId = run.id();
            artifactUri = run.artifactUri();
            assertNotNull(runId, "a local store is always there");
            for (int i = 0; i < 1000; i++) {
                run.log("loss", i);
            }
            run.logArtifact(file, "models");
            run.logText("hello", "notes/readme.md");
            run.logJson(Map.of("a", List.of(1, 2)), "config.json");
            run.logTable("preds.csv", List.of("text", "label"), List.of(List.of("a, \"quoted\" one", 1), List.of("b", 0)));
            run.logImage(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "plots/empty.png");
            Thread.sleep(700); // a few system metric samples
        }
        Path root = data.resolve("artifacts").resolve(Artifacts.root(artifactUri));
        assertEquals("weights", Files.readString(root.resolve("models/model.txt")));
        assertEquals("hello", Files.readString(root.resolve("notes/readme.md")));
        assertTrue(Files.readString(root.resolve("config.json")).contains("\"a\""));
        assertEquals("text,label\r\n\"a, \"\"quoted\"\" one\",1\r\nb,0\r\n", Files.readString(root.resolve("preds.csv")));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                java.util.Arrays.copyOf(Files.readAllBytes(root.resolve("plots/empty.png")), 4));
        assertTrue(Files.readString(root.resolve("environment/classpath.txt"), StandardCharsets.UTF_8)
                .contains("com.fasterxml.jackson.core:jackson-databind:"));

        try (TestServer server = TestServer.start(data)) {
            var r = server.client().getRun(runId);
            assertEquals(RunStatus.FINISHED, r.info().status());
            assertEquals(1000, server.client().getMetricHistory(runId, "loss").size());
            assertTrue(r.data().metrics().stream().anyMatch(m -> m.key().equals("system/heap_used_mb")), r.data().metrics().toString());
            List<String> tagKeys = r.data().tags().stream().map(RunTag::key).toList();
            assertTrue(tagKeys.containsAll(List.of("mlflow.user", "mlflow.source.name", "labbook.jvm.version",
                    "labbook.cpus", "labbook.max_heap_mb", "labbook.host")), tagKeys.toString());
        }
    }

    @Test
    void anSqliteUriWorksToo() {
        Path db = tmp.resolve("x/labbook.db").toAbsolutePath();
        String uri = "sqlite:///" + db.toString().replaceFirst("^/", "");
        String runId;
        try (Run run = Labbook.init(new RunOptions().setExperiment("sqlite").optTrackingUri(uri)
                .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(false).optCaptureEnvironment(false))) {
            run.log("x", 1);
            runId = run.id();
        }
        try (var store = dev.labbook.store.jdbc.JdbcTrackingStore.open(uri)) {
            assertEquals(1, store.getMetricHistory(runId, "x", 10, null).items().size());
        }
    }
}
