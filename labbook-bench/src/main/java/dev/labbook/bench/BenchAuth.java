package dev.labbook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.server.auth.AuthConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code --auth}: the ingestion and search benchmarks with access control on, their clients a
 * non-admin user with a personal access token and EDIT on the Default experiment (so every
 * request pays the credential and the permission check, as a team's scripts would).
 */
final class BenchAuth {
    private static final String ADMIN_PASSWORD = UUID.randomUUID().toString();

    private BenchAuth() {}

    static ServerConfig configure(ServerConfig cfg, Options o) {
        return o.auth() ? cfg.withAuth(AuthConfig.OFF.on().withAdminPassword(ADMIN_PASSWORD)) : cfg;
    }

    static String label(Options o) {
        return o.auth() ? ", auth on" : "";
    }

    /** The Authorization header the benchmark's clients send; null with access control off. */
    static String signIn(LabbookServer server, Options o) throws Exception {
        if (!o.auth()) {
            return null;
        }
        String base = "http://127.0.0.1:" + server.port();
        String admin = basic("admin", ADMIN_PASSWORD);
        String password = UUID.randomUUID().toString();
        if (server.auth().store().getUser("bench").isEmpty()) {
            call(base, admin, "/api/2.0/mlflow/users/create", "{\"username\":\"bench\",\"password\":\"" + password + "\"}");
            call(base, admin, "/api/2.0/mlflow/experiments/permissions/create",
                    "{\"experiment_id\":\"0\",\"username\":\"bench\",\"permission\":\"EDIT\"}");
        }
        String bench = basic("bench", password);
        JsonNode token = call(base, bench, "/api/labbook/auth/tokens/create", "{\"name\":\"bench\"}");
        return "Bearer " + token.get("token").asText();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode call(String base, String authorization, String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Http.JSON.readTree(r.body());
    }
}
