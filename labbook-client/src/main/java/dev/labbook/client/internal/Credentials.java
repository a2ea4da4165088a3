package dev.labbook.client.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code Authorization} header a client sends, found as MLflow's client finds its
 * credentials: {@code MLFLOW_TRACKING_TOKEN} (Bearer), else {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD} (Basic), else the {@code [mlflow]} section of
 * {@code ~/.mlflow/credentials} ({@code mlflow_tracking_token}, or {@code mlflow_tracking_username}
 * and {@code mlflow_tracking_password}); a variable left unset falls back to the file.
 */
public final class Credentials {
    private Credentials() {}

    /** The header for this process's environment and home folder; null when there are no credentials. */
    public static String authorization() {
        return authorization(System.getenv(), Path.of(System.getProperty("user.home"), ".mlflow", "credentials"));
    }

    /** The header for the given environment and credentials file; null when neither has credentials. */
    public static String authorization(Map<String, String> env, Path credentialsFile) {
        Map<String, String> file = read(credentialsFile);
        String token = first(env.get("MLFLOW_TRACKING_TOKEN"), file.get("mlflow_tracking_token"));
        if (token != null) {
            return "Bearer " + token;
        }
        String user = first(env.get("MLFLOW_TRACKING_USERNAME"), file.get("mlflow_tracking_username"));
        String pass = first(env.get("MLFLOW_TRACKING_PASSWORD"), file.get("mlflow_tracking_password"));
        if (user != null && pass != null) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : (b != null && !b.isEmpty() ? b : null);
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> out = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        String section = "";
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1).trim();
                } else if (section.equals("mlflow") && line.indexOf('=') > 0 && !line.startsWith("#")) {
                    int eq = line.indexOf('=');
                    out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            // an unreadable file holds no credentials we can use; the server's 401 will say so
        }
        return out;
    }
}
