package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MB artifact goes up and comes back down streamed. Runs in its own JVM with a heap smaller
 * than the file (the {@code small-heap} surefire execution), so any buffering of the whole body,
 * by Javalin, Jetty or us, fails with OutOfMemoryError; its length is also above the server's
 * JSON body limit, which must not apply to uploads.
 */
@Tag("small-heap")
class LargeArtifactTest {
    static final long SIZE = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void a64MegabyteFileStreamsUpAndDownByteForByte() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < SIZE,
                "this test proves streaming only with a heap smaller than the file; run it with -Xmx48m");
        byte[] expected = sha256(new Generated(SIZE, 1234));
        try (TestServer server = new TestServer(tmp)) {
            // A fixed length (not chunked), to show the upload limit is not Javalin's maxRequestSize.
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE, 1234)), SIZE);
            HttpResponse<String> up = server.send(HttpRequest.newBuilder(server.uri(PROXY + "/big/weights.bin")).PUT(body),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode(), up.body());
            Path stored = server.root.resolve("big/weights.bin");
            assertEquals(SIZE, Files.size(stored));
            try (InputStream in = Files.newInputStream(stored)) {
                assertArrayEquals(expected, sha256(in));
            }

            HttpResponse<InputStream> down = server.send(HttpRequest.newBuilder(server.uri(PROXY + "/big/weights.bin")).GET(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, down.statusCode());
            assertEquals(String.valueOf(SIZE), down.headers().firstValue("Content-Length").orElseThrow());
            try (CountingStream in = new CountingStream(down.body())) {
                assertArrayEquals(expected, sha256(in));
                assertEquals(SIZE, in.count);
            }
        }
    }

    private static byte[] sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, md)) {
            d.transferTo(OutputStreamSink.INSTANCE);
        }
        return md.digest();
    }

    /** Discards what is written. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** {@code size} pseudo-random bytes made on the fly (xorshift), the same for the same seed. */
    static final class Generated extends InputStream {
        private long left;
        private long state;

        Generated(long size, long seed) {
            this.left = size;
            this.state = seed * 0x9E3779B97F4A7C15L | 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            left -= n;
            return n;
        }
    }
}
