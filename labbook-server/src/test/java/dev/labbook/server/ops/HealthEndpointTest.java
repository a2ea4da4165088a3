package dev.labbook.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} on a real server whose artifact store is taken away and given back. */
class HealthEndpointTest {
    private static final String[] JSON = {"Accept", "application/json"};

    @TempDir
    Path tmp;

    @Test
    void okWhileBothAnswerAnd503NamingTheArtifactStoreWhenItsRootIsNoLongerADirectory() throws IOException {
        try (OpsServer s = new OpsServer(tmp)) {
            HttpResponse<String> plain = s.get("/health");
            assertEquals(200, plain.statusCode());
            assertEquals("OK", plain.body(), "MLflow's clients expect the plain body");
            assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

            HttpResponse<String> detailed = s.get("/health", JSON);
            assertEquals(200, detailed.statusCode());
            JsonNode up = OpsServer.json(detailed);
            assertEquals("UP", up.get("status").asText());
            assertEquals("UP", up.at("/components/database/status").asText());
            assertEquals("UP", up.at("/components/artifact_store/status").asText());
            assertFalse(up.has("error_code"));

            // the artifact root replaced by a regular file: nothing can be stored any more
            Files.delete(s.artifacts);
            Files.writeString(s.artifacts, "not a directory");

            HttpResponse<String> down = s.get("/health");
            assertEquals(503, down.statusCode());
            assertEquals("UNAVAILABLE: artifact_store down", down.body());

            HttpResponse<String> downJson = s.get("/health", JSON);
            assertEquals(503, downJson.statusCode());
            JsonNode d = OpsServer.json(downJson);
            assertEquals("DOWN", d.get("status").asText());
            assertEquals("TEMPORARILY_UNAVAILABLE", d.get("error_code").asText());
            assertEquals("artifact_store is down", d.get("message").asText());
            assertEquals("DOWN", d.at("/components/artifact_store/status").asText());
            assertEquals("error", d.at("/components/artifact_store/reason").asText());
            assertEquals("UP", d.at("/components/database/status").asText());
            // open to anyone: the reason stays in the server log, not the paths or the exception
            assertFalse(downJson.body().contains(tmp.toString()), downJson.body());
            assertFalse(downJson.body().contains("Exception"), downJson.body());

            // the directory is back: healthy again, nothing left behind by the probes
            Files.delete(s.artifacts);
            Files.createDirectory(s.artifacts);
            assertEquals(200, s.get("/health").statusCode());
            assertEquals("OK", s.get("/health").body());
            try (var files = Files.list(s.artifacts)) {
                assertEquals(0, files.count(), "the write probe deletes its file");
            }
        }
    }
}
