package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.store.artifact.s3.S3TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code labbook server --artifacts-destination s3://BUCKET/PREFIX} as a real process, configured
 * only by MLflow's environment variables, against a real S3 API (s3proxy in this JVM).
 */
class ServerS3ProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    /** The server's output once it has printed its banner's last line (the artifact destination). */
    private static String awaitBanner(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            if (out.contains("artifacts:") && out.substring(out.indexOf("artifacts:")).contains("\n")) {
                return out;
            }
            assertTrue(server.isAlive(), "the server exited: " + out);
            Thread.sleep(50); // polling the log for the banner, not waiting a fixed time
        }
        throw new AssertionError("no banner within 120 s: " + Files.readString(log));
    }

    @Test
    void theServerKeepsArtifactsInTheBucketNamedOnItsCommandLine() throws Exception {
        try (S3TestServer s3 = S3TestServer.start(dir.resolve("s3")); S3Client raw = s3.client()) {
            s3.createBucket("team-bucket");
            String db = "sqlite:///" + dir.resolve("labbook.db").toAbsolutePath().toString().replaceFirst("^/", "");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "dev.labbook.cli.Main", "server", "--port", "0", "--backend-store-uri", db,
                    "--artifacts-destination", "s3://team-bucket/labbook")
                    .directory(dir.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString());
            pb.environment().put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
            pb.environment().remove("AWS_PROFILE");
            pb.environment().remove("AWS_REGION");
            Path log = dir.resolve("server.log");
            pb.redirectOutput(log.toFile());
            Process server = pb.start();
            try {
                String banner = awaitBanner(server, log);
                Matcher m = LISTENING.matcher(banner);
                assertTrue(m.find(), banner);
                String base = m.group(1);
                HttpClient http = HttpClient.newHttpClient();
                String file = base + "/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/notes.txt";
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(file))
                        .PUT(HttpRequest.BodyPublishers.ofString("in the bucket")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, put.statusCode(), put.body());
                assertEquals("in the bucket", http.send(HttpRequest.newBuilder(URI.create(file)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(List.of("labbook/0/abc/artifacts/notes.txt"),
                        raw.listObjectsV2Paginator(b -> b.bucket("team-bucket")).contents().stream().map(S3Object::key).toList());
                assertTrue(banner.contains("artifacts: s3://team-bucket/labbook"), banner);
            } finally {
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            String all = Files.readString(log);
            assertFalse(all.contains(S3TestServer.SECRET_KEY), "the secret key reached the output");
            assertTrue(Files.exists(dir.resolve("labbook.db")));
        }
    }
}
