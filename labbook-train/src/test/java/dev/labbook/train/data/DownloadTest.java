package dev.labbook.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.labbook.core.LabbookException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path against a server on loopback, serving a small stand-in archive. */
class DownloadTest {
    private static final byte[] BODY = "pretend archive ".repeat(10_000).getBytes();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data.tar.gz", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, BODY.length);
            ex.getResponseBody().write(BODY);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data.tar.gz");
    }

    @Test
    void downloadsOnceWithProgressThenReusesTheCache(@TempDir Path cache) throws Exception {
        String sha = HexFormat.of().formatHex(Hashing.sha256().digest(BODY));
        Download d = new Download(uri(), sha, cache, "data.tar.gz");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path file = d.fetch(new PrintStream(progress, true));
        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertTrue(progress.toString().contains("100%"), progress.toString());
        assertEquals(file, d.fetch(null));
        assertEquals(1, requests.get());
    }

    @Test
    void aWrongDigestIsRejectedAndNothingIsCached(@TempDir Path cache) {
        Download d = new Download(uri(), "0".repeat(64), cache, "data.tar.gz");
        LabbookException e = assertThrows(LabbookException.class, () -> d.fetch(null));
        assertTrue(e.getMessage().contains("expected " + "0".repeat(64)), e.getMessage());
        assertFalse(Files.exists(cache.resolve("data.tar.gz")));
        assertFalse(Files.exists(cache.resolve("data.tar.gz.part")));
    }

    @Test
    void anUnreachableServerSaysHowToWorkOffline(@TempDir Path cache) {
        server.stop(0);
        Download d = new Download(uri(), "0".repeat(64), cache, "data.tar.gz");
        assertTrue(assertThrows(LabbookException.class, () -> d.fetch(null)).getMessage().contains("--data"));
    }
}
