package dev.labbook.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.auth.Permission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A real server with access control on (port 0, a fresh SQLite file), and HTTP clients signed in various ways. */
final class AuthServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-secret-1";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    /** The server's configuration (its database: SQLite, or PostgreSQL with -Dlabbook.test.db=postgresql). */
    final ServerConfig config;
    final LabbookServer server;

    AuthServer(AuthConfig config) {
        try {
            dir = Files.createTempDirectory("labbook-auth-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.config = dev.labbook.server.TestConfigs.embedded("127.0.0.1", 0, dir).withAuth(config);
        server = LabbookServer.start(this.config);
    }

    AuthServer() {
        this(AuthConfig.OFF.on().withAdminPassword(ADMIN_PASSWORD));
    }

    static AuthConfig config(Permission defaultPermission) {
        return AuthConfig.OFF.on().withAdminPassword(ADMIN_PASSWORD).withDefaultPermission(defaultPermission);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    Client anonymous() {
        return new Client(url(), null);
    }

    Client basic(String user, String password) {
        return new Client(url(), "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    Client admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    Client bearer(String token) {
        return new Client(url(), "Bearer " + token);
    }

    /** Creates a user through MLflow's API as the admin and returns a client signed in as them. */
    Client user(String name) {
        admin().post("/api/2.0/mlflow/users/create", Map.of("username", name, "password", name + "-pass")).ok();
        return basic(name, name + "-pass");
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** An answer: status, headers we look at, and the body. */
    record Response(String request, int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError(request + ": not JSON: " + raw.body(), e);
            }
        }

        JsonNode ok() {
            if (status != 200) {
                throw new AssertionError(request + " answered " + status + ": " + raw.body());
            }
            return raw.body().isEmpty() ? JSON.createObjectNode() : json();
        }

        String errorCode() {
            return json().path("error_code").asText();
        }
    }

    /** HTTP with one fixed Authorization header (or none), and optionally a session cookie and CSRF token. */
    static final class Client {
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        final String base;
        final String authorization;
        final Map<String, String> headers = new LinkedHashMap<>();

        Client(String base, String authorization) {
            this.base = base;
            this.authorization = authorization;
        }

        Client with(String header, String value) {
            Client c = new Client(base, authorization);
            c.headers.putAll(headers);
            c.headers.put(header, value);
            return c;
        }

        Response get(String path, String... keyValues) {
            return send("GET", path + query(keyValues), null);
        }

        Response post(String path, Object body) {
            return send("POST", path, body);
        }

        Response send(String method, String path, Object body) {
            String text = body == null ? null : body instanceof String s ? s : write(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                b.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            headers.forEach(b::header);
            try {
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(method + " " + path, r.statusCode(), r);
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static String write(Object body) {
            try {
                return JSON.writeValueAsString(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String query(String... keyValues) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                sb.append(i == 0 ? '?' : '&').append(URLEncoder.encode(keyValues[i], StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
            }
            return sb.toString();
        }
    }
}
