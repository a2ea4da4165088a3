package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static dev.labbook.server.artifact.TestServer.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact proxy's upload, download, list and delete over real HTTP. */
class ArtifactProxyTest {
    @TempDir
    Path tmp;
    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer(tmp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void textRoundTripsByteForByte() {
        byte[] text = "accuracy: 0.91\nnotes: wörld ✓\n".getBytes(UTF_8);
        HttpResponse<String> up = server.put(PROXY + "/0/run1/artifacts/notes.txt", text);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("{}", up.body());

        HttpResponse<byte[]> down = server.getBytes(PROXY + "/0/run1/artifacts/notes.txt");
        assertEquals(200, down.statusCode());
        assertArrayEquals(text, down.body());
        assertEquals("text/plain", down.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(text.length), down.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("nosniff", down.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(down.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment; filename=\"notes.txt\""));
    }

    @Test
    void binaryRoundTripsFromAChunkedUpload() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        // ofInputStream has no length: the client sends it chunked.
        HttpResponse<String> up = server.send(HttpRequest.newBuilder(server.uri(PROXY + "/0/r/artifacts/model/weights.bin"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        HttpResponse<byte[]> down = server.getBytes(PROXY + "/0/r/artifacts/model/weights.bin");
        assertEquals(200, down.statusCode());
        assertArrayEquals(data, down.body());
        assertEquals("application/octet-stream", down.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(data, Files.readAllBytes(server.root.resolve("0/r/artifacts/model/weights.bin")));
    }

    @Test
    void headAnswersWithTheLengthAndNoBody() {
        server.put(PROXY + "/h/data.bin", new byte[12345]);
        TestServer.Raw r = server.raw("HEAD", PROXY + "/h/data.bin", null);
        assertEquals(200, r.status());
        assertEquals("12345", r.header("Content-Length"));
        assertEquals("", r.body());
    }

    @Test
    void guessesContentTypes() {
        server.put(PROXY + "/x/plot.png", new byte[] {1, 2, 3});
        server.put(PROXY + "/x/MLmodel", "flavors: {}".getBytes(UTF_8));
        server.put(PROXY + "/x/page.html", "<script>alert(1)</script>".getBytes(UTF_8));
        assertEquals("image/png", server.getBytes(PROXY + "/x/plot.png").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/plain", server.getBytes(PROXY + "/x/MLmodel").headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> html = server.getBytes(PROXY + "/x/page.html");
        assertTrue(html.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment"),
                "HTML is downloaded, never rendered on the server's origin");
    }

    @Test
    void replacesAnExistingFile() {
        server.put(PROXY + "/a/f.txt", "first".getBytes(UTF_8));
        server.put(PROXY + "/a/f.txt", "second".getBytes(UTF_8));
        assertEquals("second", server.get(PROXY + "/a/f.txt").body());
    }

    @Test
    void listsDirectChildrenOfNestedDirectories() {
        server.put(PROXY + "/e/r/artifacts/top.txt", "12345".getBytes(UTF_8));
        server.put(PROXY + "/e/r/artifacts/model/MLmodel", "m".getBytes(UTF_8));
        server.put(PROXY + "/e/r/artifacts/model/data/weights.bin", new byte[1000]);

        JsonNode files = list("?path=e/r/artifacts");
        assertEquals(2, files.size(), files.toString());
        assertEquals("model", files.get(0).path("path").asText());
        assertTrue(files.get(0).path("is_dir").asBoolean());
        assertFalse(files.get(0).has("file_size"), "directories have no file_size");
        assertEquals("top.txt", files.get(1).path("path").asText());
        assertFalse(files.get(1).path("is_dir").asBoolean());
        assertEquals(5, files.get(1).path("file_size").asLong());

        JsonNode model = list("?path=e/r/artifacts/model/");
        assertEquals(List.of("MLmodel", "data"), names(model));
        assertEquals(List.of("weights.bin"), names(list("?path=e/r/artifacts/model/data")));
        assertEquals(1000, list("?path=e/r/artifacts/model/data").get(0).path("file_size").asLong());
        assertEquals(List.of("e"), names(list("")));
        assertEquals(0, list("?path=no/such/dir").size());
        assertEquals(200, server.get("/ajax-api/2.0/mlflow-artifacts/artifacts?path=e").statusCode());
    }

    @Test
    void deletesFilesAndDirectoryTrees() {
        server.put(PROXY + "/d/keep.txt", "k".getBytes(UTF_8));
        server.put(PROXY + "/d/sub/a.txt", "a".getBytes(UTF_8));
        server.put(PROXY + "/d/sub/deeper/b.txt", "b".getBytes(UTF_8));
        assertEquals(200, server.delete(PROXY + "/d/sub").statusCode());
        assertEquals(404, server.get(PROXY + "/d/sub/a.txt").statusCode());
        assertEquals(List.of("keep.txt"), names(list("?path=d")));
        assertEquals(200, server.delete(PROXY + "/d/keep.txt").statusCode());
        assertEquals(404, server.get(PROXY + "/d/keep.txt").statusCode());
        assertEquals(200, server.delete(PROXY + "/d/never-was").statusCode(), "deleting nothing is fine, as in MLflow");
    }

    @Test
    void missingFilesAndDirectoriesAre404WithErrorJson() {
        server.put(PROXY + "/dir/f.txt", "f".getBytes(UTF_8));
        for (String p : List.of("/nope.txt", "/dir/nope.txt", "/dir", "/dir/f.txt/x")) {
            HttpResponse<String> r = server.get(PROXY + p);
            assertEquals(404, r.statusCode(), p);
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("RESOURCE_DOES_NOT_EXIST", json(r.body()).path("error_code").asText(), r.body());
        }
    }

    @Test
    void uploadingOntoADirectoryOrUnderAFileIs400() {
        server.put(PROXY + "/dir/f.txt", "f".getBytes(UTF_8));
        assertEquals(400, server.put(PROXY + "/dir", "x".getBytes(UTF_8)).statusCode());
        assertEquals(400, server.put(PROXY + "/dir/f.txt/g", "x".getBytes(UTF_8)).statusCode());
        assertEquals("f", server.get(PROXY + "/dir/f.txt").body());
    }

    @Test
    void anAbortedUploadLeavesNoFile() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + PROXY + "/cut/big.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(UTF_8));
            out.write(new byte[1_000_000]);
            out.flush();
        } // the client disconnects with 9 MB still to come
        Path dir = server.root.resolve("cut");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !isEmptyDir(dir)) {
            Thread.sleep(50);
        }
        assertTrue(isEmptyDir(dir), "no file and no temporary file remain");
        assertEquals(404, server.get(PROXY + "/cut/big.bin").statusCode());
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false; // not created yet: the upload has not been handled so far
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private JsonNode list(String query) {
        HttpResponse<String> r = server.get(PROXY + query);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).path("files");
    }

    private static List<String> names(JsonNode files) {
        return java.util.stream.StreamSupport.stream(files.spliterator(), false).map(f -> f.path("path").asText()).toList();
    }
}
