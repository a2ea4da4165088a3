package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.client.Labbook;
import dev.labbook.client.Run;
import dev.labbook.client.RunOptions;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.auth.AuthConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labbook tokens create|list|revoke} and {@code labbook sync} against a server with access
 * control on, as real processes whose credentials come from the environment and from
 * ~/.mlflow/credentials as MLflow's client reads them: a refused sync keeps the spool, a later one
 * with a good token delivers it, a revoked token is refused.
 */
class TokensCliTest {
    private static final String ADMIN_PASSWORD = "cli-admin-pass";

    @TempDir
    Path tmp;

    record Result(int code, String out) {}

    private Result labbook(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + tmp.resolve("home"),
                "-cp", System.getProperty("java.class.path"), "dev.labbook.cli.Main"));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("out-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_TRACKING_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("labbook " + String.join(" ", args) + " did not end");
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    @Test
    void tokensFromTheCliLogThroughSyncAndStopWhenRevoked() throws Exception {
        Path spool = tmp.resolve("spool");
        AuthConfig auth = AuthConfig.OFF.on().withAdminPassword(ADMIN_PASSWORD);
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")).withAuth(auth))) {
            String uri = "http://127.0.0.1:" + server.port();
            Map<String, String> admin = Map.of("MLFLOW_TRACKING_USERNAME", "admin", "MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD);
            Result created = labbook(admin, "tokens", "create", "--name", "ci", "--tracking-uri", uri);
            assertEquals(0, created.code(), created.out());
            String token = created.out().lines().filter(l -> l.startsWith("lbk_")).findFirst().orElseThrow();
            Result listed = labbook(admin, "tokens", "list", "--tracking-uri", uri);
            assertEquals(0, listed.code(), listed.out());
            String id = token.substring(4, 20);
            assertTrue(listed.out().contains(id) && listed.out().contains("active"), listed.out());
            assertTrue(!listed.out().contains(token), "the secret is shown only once");

            // a run logged offline, then synced with a wrong token: refused, and the spool stays
            RunOptions options = new RunOptions().setExperiment("cli-tokens").optRunName("offline").optTrackingUri(uri)
                    .optSpoolDir(spool).optOffline(true).optSystemMetrics(false).optCaptureEnvironment(false);
            try (Run run = Labbook.init(options)) {
                for (int step = 0; step < 100; step++) {
                    run.log("loss", 1.0 / (step + 1), step);
                }
            }
            Result refused = labbook(Map.of("MLFLOW_TRACKING_TOKEN", "lbk_0000000000000000_wrong"),
                    "sync", "--spool-dir", spool.toString(), "--timeout", "30");
            assertEquals(1, refused.code(), refused.out());
            assertTrue(refused.out().contains("0 run(s) synced, 1 pending"), refused.out());

            // the good token from ~/.mlflow/credentials delivers it
            Files.createDirectories(tmp.resolve("home/.mlflow"));
            Files.writeString(tmp.resolve("home/.mlflow/credentials"), "[mlflow]\nmlflow_tracking_token = " + token + "\n");
            Result synced = labbook(Map.of(), "sync", "--spool-dir", spool.toString(), "--timeout", "60");
            assertEquals(0, synced.code(), synced.out());
            assertTrue(synced.out().contains("1 run(s) synced, 0 pending"), synced.out());
            JsonNode runs = adminPost(uri, "runs/search", Map.of("experiment_ids",
                    List.of(adminGet(uri, "experiments/get-by-name?experiment_name=cli-tokens").get("experiment").get("experiment_id").asText())));
            assertEquals(1, runs.path("runs").size());

            Result revoked = labbook(admin, "tokens", "revoke", id, "--tracking-uri", uri);
            assertEquals(0, revoked.code(), revoked.out());
            Result after = labbook(Map.of("MLFLOW_TRACKING_TOKEN", token), "tokens", "list", "--tracking-uri", uri);
            assertEquals(1, after.code(), after.out());
            assertTrue(after.out().contains("Invalid or expired token"), after.out());
            assertTrue(!after.out().contains(token.substring(21)), "the secret never reaches an error message");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode adminGet(String uri, String endpoint) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + endpoint))
                .header("Authorization", basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode adminPost(String uri, String endpoint, Object body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + endpoint))
                .header("Authorization", basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
