package dev.labbook.client;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;

/** A real Labbook server in this JVM, on a free port, over a data directory. */
final class TestServer implements AutoCloseable {
    final Path data;
    final LabbookServer server;

    private TestServer(Path data, int port) {
        this.data = data;
        this.server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", port, data));
    }

    static TestServer start(Path data) {
        return new TestServer(data, 0);
    }

    static TestServer start(Path data, int port) {
        return new TestServer(data, port);
    }

    String uri() {
        return "http://127.0.0.1:" + server.port();
    }

    TrackingClient client() {
        return TrackingClient.of(uri());
    }

    @Override
    public void close() {
        server.close();
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
