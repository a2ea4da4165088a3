package dev.labbook.server.artifact;

import dev.labbook.store.testing.TestDatabases;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;

/** A real server on a free port over a temporary folder, with a JDK client and a raw-socket client. */
final class TestServer implements AutoCloseable {
    static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    final Path root;
    final LabbookServer server;
    final HttpClient http = HttpClient.newHttpClient();

    TestServer(Path tmp) {
        this.root = tmp.resolve("artifacts");
        // sqlite:/// + the absolute path without its leading slash, as ServerConfig.embedded builds it.
        String db = tmp.toAbsolutePath().resolve("t.db").toString().replaceFirst("^/", "");
        this.server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, TestDatabases.uriFor("sqlite:///" + db), root));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> put(String pathAndQuery, byte[] body) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a run in experiment 0 and returns its run_info. */
    JsonNode createRun() {
        HttpResponse<String> r = postJson("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).path("run").path("info");
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response read off a raw socket. */
    record Raw(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /**
     * Sends {@code method target} byte for byte, as no URI class would let us (unnormalized
     * {@code ..}, raw backslashes), and reads the whole response.
     */
    Raw raw(String method, String target, byte[] body) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(head.getBytes(ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String headers = text.substring(0, end);
            int status = Integer.parseInt(headers.split(" ")[1]);
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            Raw raw = new Raw(status, headers, "");
            String te = raw.header("Transfer-Encoding");
            byte[] content = te != null && te.toLowerCase(Locale.ROOT).contains("chunked") ? unchunk(rest) : rest;
            return new Raw(status, headers, new String(content, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] unchunk(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(data);
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n' && c >= 0; ) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.skip(2);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
