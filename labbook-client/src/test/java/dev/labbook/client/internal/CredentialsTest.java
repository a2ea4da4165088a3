package dev.labbook.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials are found where MLflow's client finds them: the environment first, then ~/.mlflow/credentials. */
class CredentialsTest {
    @TempDir
    Path home;

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theEnvironmentComesFirstAndATokenBeatsAPassword() {
        Path none = home.resolve("missing");
        assertNull(Credentials.authorization(Map.of(), none));
        assertEquals("Bearer t1", Credentials.authorization(Map.of("MLFLOW_TRACKING_TOKEN", "t1",
                "MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p"), none));
        assertEquals(basic("u", "p:with:colons"), Credentials.authorization(Map.of("MLFLOW_TRACKING_USERNAME", "u",
                "MLFLOW_TRACKING_PASSWORD", "p:with:colons"), none));
        assertNull(Credentials.authorization(Map.of("MLFLOW_TRACKING_USERNAME", "u"), none));
    }

    @Test
    void theCredentialsFileFillsIn() throws Exception {
        Path file = home.resolve("credentials");
        Files.writeString(file, "[mlflow]\nmlflow_tracking_username = alice\nmlflow_tracking_password = s3cret\n");
        assertEquals(basic("alice", "s3cret"), Credentials.authorization(Map.of(), file));
        // a variable overrides its key of the file
        assertEquals(basic("alice", "env-pass"), Credentials.authorization(Map.of("MLFLOW_TRACKING_PASSWORD", "env-pass"), file));
        Files.writeString(file, "[other]\nmlflow_tracking_token = nope\n[mlflow]\nmlflow_tracking_token = lbk_x\n");
        assertEquals("Bearer lbk_x", Credentials.authorization(Map.of(), file));
    }
}
