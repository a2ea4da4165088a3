package dev.labbook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mlflow.tracking.MlflowClient;

/**
 * A real Labbook server for one test class: started on port 0 over a fresh temporary data folder
 * before the class's first test, stopped and deleted after its last. Register it with
 * {@code @RegisterExtension static final TestServer server = new TestServer();}.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private LabbookServer server;
    private MlflowClient client;
    private RawHttp http;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("labbook-it-");
        server = LabbookServer.start(TestConfigs.embedded("127.0.0.1", 0, dataDir));
        http = new RawHttp(baseUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the tracking URI of this server. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The official MLflow Java client, pointed at this server. */
    synchronized MlflowClient client() {
        if (client == null) {
            client = new MlflowClient(baseUrl());
        }
        return client;
    }

    /** The server's own tracking store, for checks that HTTP round trips are too slow to provoke. */
    dev.labbook.store.TrackingStore store() {
        return server.trackingStore();
    }

    /** Plain HTTP against the MLflow REST API of this server. */
    RawHttp http() {
        return http;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
