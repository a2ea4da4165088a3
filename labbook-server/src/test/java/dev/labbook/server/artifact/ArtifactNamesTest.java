package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static dev.labbook.server.artifact.TestServer.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifact names holding {@code %}, {@code +}, spaces and non-ASCII characters are stored, listed
 * and served under exactly the name the client meant, the request path being percent-decoded
 * once. Each request is written as MLflow's Python client puts it on the wire: {@code requests}
 * re-quotes an upload path, and when a {@code %} in it does not start a valid escape (as in every
 * {@code log_image} name) it quotes every {@code %} as {@code %25}; listing paths go in the query
 * string, form-encoded ({@code +} for a space).
 *
 * <p>MLflow's server decodes such a path until it stops changing and escapes control characters
 * back, so {@code log_image}'s {@code %timestamp%1733...} keeps its name there too; Labbook used
 * to decode twice and refuse the {@code %17}, and the client dropped the image silently.
 */
class ArtifactNamesTest {
    /** What MLflow 2.x/3.x {@code log_image(key="loss", step=0)} names its file (uuid's first char is g-z). */
    static final String LOG_IMAGE = "images/loss%step%0%timestamp%1733000000000%g2a4c6e8-1b3d-4f5a-9c7e-0d2f4b6a8c0e.png";

    @TempDir
    Path tmp;
    TestServer server;
    String root;

    @BeforeEach
    void start() {
        server = new TestServer(tmp);
        JsonNode run = server.createRun();
        root = "0/" + run.path("run_id").asText() + "/artifacts";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The path as requests' requote_uri sends it: '%' that starts no valid escape becomes %25. */
    private static String wire(String name) {
        StringBuilder b = new StringBuilder();
        for (byte x : name.getBytes(UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/+!$&'()*,;=:@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    /** A query value as requests' urlencode sends it (quote_plus). */
    private static String form(String value) {
        return java.net.URLEncoder.encode(value, UTF_8);
    }

    private void upload(String name, String content) {
        TestServer.Raw r = server.raw("PUT", PROXY + "/" + root + "/" + wire(name), content.getBytes(UTF_8));
        assertEquals(200, r.status(), name + ": " + r.body());
        assertEquals("{}", r.body());
    }

    private List<String> proxyListing(String dir) {
        TestServer.Raw r = server.raw("GET", PROXY + "?path=" + form(root + "/" + dir), null);
        assertEquals(200, r.status(), r.body());
        List<String> names = new ArrayList<>();
        json(r.body()).path("files").forEach(f -> names.add(f.path("path").asText()));
        return names;
    }

    @Test
    void logImageNamesAreStoredListedAndServed() throws IOException {
        upload(LOG_IMAGE, "png bytes");
        String compressed = "images/loss%step%0%timestamp%1733000000000%h2a4c6e8-1b3d-4f5a-9c7e-0d2f4b6a8c0e%compressed.webp";
        upload(compressed, "webp bytes");

        assertEquals("png bytes", Files.readString(server.root.resolve(root).resolve(LOG_IMAGE)));
        assertEquals(List.of(LOG_IMAGE.substring(7), compressed.substring(7)), proxyListing("images"));

        TestServer.Raw down = server.raw("GET", PROXY + "/" + root + "/" + wire(LOG_IMAGE), null);
        assertEquals(200, down.status(), down.body());
        assertEquals("png bytes", down.body());
        assertEquals("image/png", down.header("Content-Type"));

        // the run's own views: artifacts/list and /get-artifact
        String runId = root.split("/")[1];
        TestServer.Raw list = server.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=images", null);
        assertEquals(200, list.status(), list.body());
        assertEquals("images/" + LOG_IMAGE.substring(7), json(list.body()).path("files").get(0).path("path").asText());
        TestServer.Raw get = server.raw("GET", "/get-artifact?run_id=" + runId + "&path=" + form(LOG_IMAGE), null);
        assertEquals(200, get.status(), get.body());
        assertEquals("png bytes", get.body());

        TestServer.Raw delete = server.raw("DELETE", PROXY + "/" + root + "/" + wire(LOG_IMAGE), null);
        assertEquals(200, delete.status(), delete.body());
        assertEquals(List.of(compressed.substring(7)), proxyListing("images"));
    }

    @Test
    void plusSpacesPercentAndNonAsciiKeepTheirNames() throws IOException {
        List<String> names = List.of("a+b.txt", "my file.txt", "100%.txt", "50% off+more.txt", "été ünï 名前.txt",
                "dir with space/x+y%z.csv");
        for (String n : names) {
            upload(n, "content of " + n);
        }
        for (String n : names) {
            assertEquals("content of " + n, Files.readString(server.root.resolve(root).resolve(n)), n);
            TestServer.Raw down = server.raw("GET", PROXY + "/" + root + "/" + wire(n), null);
            assertEquals(200, down.status(), n + ": " + down.body());
            assertEquals("content of " + n, down.body());
        }
        assertEquals(List.of("100%.txt", "50% off+more.txt", "a+b.txt", "dir with space", "my file.txt", "été ünï 名前.txt"),
                proxyListing(""));
        assertEquals(List.of("x+y%z.csv"), proxyListing("dir with space"));
        // a HEAD answers the file's length, so the name resolved
        TestServer.Raw head = server.raw("HEAD", PROXY + "/" + root + "/" + wire("été ünï 名前.txt"), null);
        assertEquals(200, head.status());
        assertEquals(String.valueOf("content of été ünï 名前.txt".getBytes(UTF_8).length), head.header("Content-Length"));
    }

    /**
     * A name that holds a valid escape such as {@code %20}: requests leaves it as it is on the
     * wire, so the server decodes it, and MLflow stores {@code a b.txt} (as does Labbook). The
     * Python client also decodes {@code %20} in every name a listing returns, so both agree.
     */
    @Test
    void aValidEscapeInTheNameIsDecodedOnceAsMlflowDoes() {
        TestServer.Raw r = server.raw("PUT", PROXY + "/" + root + "/a%20b.txt", "x".getBytes(UTF_8));
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("a b.txt"), proxyListing(""));
        // a client that meant the literal name sends %2520 and gets exactly that name back
        r = server.raw("PUT", PROXY + "/" + root + "/c%2520d.txt", "y".getBytes(UTF_8));
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("a b.txt", "c%20d.txt"), proxyListing(""));
        assertEquals("y", server.raw("GET", PROXY + "/" + root + "/c%2520d.txt", null).body());
    }

    /**
     * MLflow's server decodes a listing's path until it stops changing: the Python client that
     * uploaded its local folder {@code my%20dir} (stored as {@code my dir}, requests keeping the
     * valid escape) lists {@code my%20dir}, form-encoded {@code my%2520dir}, and finds its files.
     * A folder whose name really holds the escape is listed as given.
     */
    @Test
    void aListingFindsWhatMlflowWouldList() {
        assertEquals(200, server.raw("PUT", PROXY + "/" + root + "/my%20dir/f.txt", "x".getBytes(UTF_8)).status());
        assertEquals(List.of("my dir"), proxyListing(""));
        assertEquals(List.of("f.txt"), proxyListing("my%20dir"));
        assertEquals(List.of("f.txt"), proxyListing("my dir"));
        String runId = root.split("/")[1];
        TestServer.Raw list = server.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + form("my%20dir"), null);
        assertEquals(200, list.status(), list.body());
        assertEquals("my dir/f.txt", json(list.body()).path("files").get(0).path("path").asText());
        // a folder literally named with the escape is listed as it is
        assertEquals(200, server.raw("PUT", PROXY + "/" + root + "/lit%2520dir/g.txt", "y".getBytes(UTF_8)).status());
        assertEquals(List.of("g.txt"), proxyListing("lit%20dir"));
    }

    @Test
    void aNameThatWouldTraverseOnceMoreDecodedIsStillRefused() {
        for (String p : List.of("%252e%252e/x.txt", "a/%252e%252e%252fx.txt", "a%2500b.txt", "%255cx.txt")) {
            TestServer.Raw r = server.raw("PUT", PROXY + "/" + root + "/" + p, "x".getBytes(UTF_8));
            assertEquals(400, r.status(), p + ": " + r.body());
            assertTrue(r.body().contains("INVALID_PARAMETER_VALUE"), r.body());
        }
        assertEquals(List.of(), proxyListing(""));
    }

    /** MLflow's test_path_validation compares the whole body: {"error_code": "INVALID_PARAMETER_VALUE", "message": "Invalid path"}. */
    @Test
    void anUnsafePathGetsMlflowsExactAnswer() {
        String runId = root.split("/")[1];
        for (String target : List.of("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=..%2Fpath",
                "/get-artifact?run_id=" + runId + "&path=..%2Fpath", PROXY + "?path=..%2Fpath", PROXY + "/%2e%2e/path")) {
            TestServer.Raw r = server.raw("GET", target, null);
            assertEquals(400, r.status(), target + ": " + r.body());
            assertEquals("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid path\"}", r.body(), target);
        }
    }
}
