package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static dev.labbook.server.artifact.TestServer.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of naming a file outside the artifact root is answered with 400 and MLflow's error
 * JSON, and nothing outside the root changes. The target of each attempt is a sentinel folder
 * next to the root ({@code tmp/sentinel}), holding a secret.
 */
class ArtifactTraversalTest {
    @TempDir
    Path tmp;
    TestServer server;
    Path sentinel;

    @BeforeEach
    void start() throws IOException {
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("secret.txt"), "secret");
        server = new TestServer(tmp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The request-target paths after {@code PROXY + "/"}, written as sent on the wire. */
    private List<String> hostilePaths() {
        String abs = sentinel.resolve("pwned.txt").toAbsolutePath().toString();
        return List.of(
                "../sentinel/pwned.txt",
                "../../" + tmp.getFileName() + "/sentinel/pwned.txt",
                "a/../../sentinel/pwned.txt",
                "a/b/../../../sentinel/pwned.txt",
                "%2e%2e/sentinel/pwned.txt",
                "%2E%2E%2Fsentinel%2Fpwned.txt",
                "..%2fsentinel%2fpwned.txt",
                "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "%252e%252e%252fsentinel%252fpwned.txt",   // double-encoded: refused, as MLflow does
                "%252e%252e/sentinel/pwned.txt",
                "%25252e%25252e/sentinel/pwned.txt",       // triple-encoded
                abs,                                         // .../artifacts//tmp/.../sentinel/pwned.txt
                "%2F" + abs.substring(1).replace("/", "%2F"),
                "/etc/passwd",
                "..%5csentinel%5cpwned.txt",
                "..\\sentinel\\pwned.txt",                 // raw backslash: Jetty refuses it itself
                "pwned.txt%00.png",
                "..%00/sentinel/pwned.txt",
                "a//pwned.txt",
                "./pwned.txt",
                "a/./pwned.txt",
                "%2e/pwned.txt",
                "%c0%ae%c0%ae/sentinel/pwned.txt",         // overlong UTF-8 dots
                "..%c0%afsentinel%c0%afpwned.txt",
                "%u002e%u002e/sentinel/pwned.txt",         // IIS-style escapes: malformed here
                "pwned%zz.txt",                            // a lone '%' is a malformed escape too
                ".labbook-upload-1.tmp");
    }

    @Test
    void hostileUploadDownloadAndDeletePathsAre400() throws IOException {
        List<String> before = filesOutsideRoot();
        List<String> failures = new ArrayList<>();
        for (String p : hostilePaths()) {
            for (String method : List.of("PUT", "GET", "DELETE")) {
                for (String prefix : List.of(PROXY, "/ajax-api/2.0/mlflow-artifacts/artifacts")) {
                    byte[] body = method.equals("PUT") ? "pwned".getBytes(UTF_8) : null;
                    check(failures, method + " " + p, server.raw(method, prefix + "/" + p, body));
                }
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(before, filesOutsideRoot(), "nothing changed outside the artifact root");
        assertEquals("secret", Files.readString(sentinel.resolve("secret.txt")));
        assertEquals(List.of(), filesUnder(server.root), "nothing was written inside either");
    }

    @Test
    void hostileListPathsAre400() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String q : List.of("..", "../sentinel", "%2e%2e", "%2e%2e%2fsentinel", "..%2F..%2F",
                "%252e%252e", "/", "/etc", "%2Fetc", "..%5c", "a%00", "a//b", ".", "a/./b")) {
            check(failures, "list " + q, server.raw("GET", PROXY + "?path=" + q, null));
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void hostileRunArtifactPathsAre400() {
        String runId = server.createRun().path("run_id").asText();
        List<String> failures = new ArrayList<>();
        for (String q : List.of("../../../sentinel", "..%2F..%2F..%2Fsentinel", "%252e%252e", "/etc", "a%5cb")) {
            check(failures, "artifacts/list " + q,
                    server.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + q, null));
            check(failures, "get-artifact " + q,
                    server.raw("GET", "/get-artifact?run_id=" + runId + "&path=" + q + "%2Fsecret.txt", null));
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void anExperimentArtifactLocationOutsideTheRootIsRefused() {
        String exp = json(server.postJson("/api/2.0/mlflow/experiments/create",
                "{\"name\":\"evil\",\"artifact_location\":\"mlflow-artifacts:/../sentinel\"}").body())
                .path("experiment_id").asText();
        JsonNode run = json(server.postJson("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + exp + "\"}").body())
                .path("run").path("info");
        List<String> failures = new ArrayList<>();
        check(failures, "list", server.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + run.path("run_id").asText(), null));
        check(failures, "get", server.raw("GET", "/get-artifact?run_id=" + run.path("run_id").asText() + "&path=x", null));
        assertEquals(List.of(), failures);
    }

    @Test
    void aSymlinkInsideTheRootPointingOutsideIsNotFollowed() throws IOException {
        Files.createDirectories(server.root);
        Files.createSymbolicLink(server.root.resolve("escape"), sentinel);
        Files.createSymbolicLink(server.root.resolve("passwd"), sentinel.resolve("secret.txt"));
        List<String> before = filesOutsideRoot();
        List<String> failures = new ArrayList<>();
        check(failures, "upload through link", server.raw("PUT", PROXY + "/escape/pwned.txt", "pwned".getBytes(UTF_8)));
        check(failures, "upload below link", server.raw("PUT", PROXY + "/escape/new/pwned.txt", "pwned".getBytes(UTF_8)));
        check(failures, "read through link", server.raw("GET", PROXY + "/escape/secret.txt", null));
        check(failures, "read a file link", server.raw("GET", PROXY + "/passwd", null));
        check(failures, "list through link", server.raw("GET", PROXY + "?path=escape", null));
        check(failures, "delete through link", server.raw("DELETE", PROXY + "/escape/secret.txt", null));
        assertEquals(List.of(), failures);
        assertEquals(before, filesOutsideRoot());
        assertEquals("secret", Files.readString(sentinel.resolve("secret.txt")));
        assertEquals(List.of(), names(json(server.get(PROXY).body()).path("files")), "links are not listed");
    }

    /** Records a failure unless the response is a 400 with MLflow's error JSON. */
    private static void check(List<String> failures, String what, TestServer.Raw r) {
        String type = r.header("Content-Type");
        JsonNode body = null;
        try {
            body = json(r.body());
        } catch (RuntimeException e) {
            // not JSON: reported below
        }
        boolean ok = r.status() == 400 && type != null && type.startsWith("application/json") && body != null
                && body.path("error_code").isTextual() && body.path("message").isTextual();
        if (!ok) {
            failures.add(what + " -> " + r.status() + " " + type + " " + r.body());
        }
    }

    private List<String> filesOutsideRoot() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> !p.startsWith(server.root) && !p.getFileName().toString().startsWith("t.db"))
                    .map(p -> tmp.relativize(p) + (Files.isRegularFile(p) ? ":" + size(p) : ""))
                    .sorted().toList();
        }
    }

    private static List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<String> names(JsonNode files) {
        return java.util.stream.StreamSupport.stream(files.spliterator(), false).map(f -> f.path("path").asText()).toList();
    }
}
