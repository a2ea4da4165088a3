package dev.labbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.internal.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labbook tokens create|list|revoke}: personal access tokens of a server with access
 * control on, signed in with the credentials MLflow's client uses (MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD, MLFLOW_TRACKING_TOKEN, or ~/.mlflow/credentials).
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Create, list and revoke personal access tokens.",
        subcommands = {TokensCommand.Create.class, TokensCommand.List.class, TokensCommand.Revoke.class})
final class TokensCommand implements Runnable {
    private static final String AUTH = "api/labbook/auth/";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static class Server {
        @Option(names = "--tracking-uri", description = "The server, http(s)://HOST:PORT (default: $MLFLOW_TRACKING_URI or $LABBOOK_TRACKING_URI).")
        String trackingUri;

        Http http() {
            String uri = trackingUri;
            if (uri == null) {
                uri = System.getenv("MLFLOW_TRACKING_URI");
            }
            if (uri == null || uri.isBlank()) {
                uri = System.getenv("LABBOOK_TRACKING_URI");
            }
            if (uri == null || !(uri.startsWith("http://") || uri.startsWith("https://"))) {
                throw new dev.labbook.core.LabbookException(dev.labbook.core.ErrorCode.INVALID_PARAMETER_VALUE,
                        "Tokens live on a tracking server: pass --tracking-uri http(s)://HOST:PORT");
            }
            return new Http(URI.create(uri), Duration.ofSeconds(30));
        }

        JsonNode post(String endpoint, Map<String, Object> body) {
            Http http = http();
            try {
                byte[] bytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body);
                return read(http.send(http.request(AUTH + endpoint).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        JsonNode get(String endpoint) {
            Http http = http();
            return read(http.send(http.request(AUTH + endpoint).GET().build()));
        }

        private static JsonNode read(java.io.InputStream in) {
            try (in) {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; it is printed once and never shown again.")
    static final class Create extends Server implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "What the token is for (e.g. ci).")
        String name;

        @Option(names = "--expires-in-days", description = "Days until the token stops working (default: never).")
        Long days;

        @Option(names = "--read-only", description = "The token may only read.")
        boolean readOnly;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("read_only", readOnly);
            if (days != null) {
                body.put("expires_in_days", days);
            }
            JsonNode answer = post("tokens/create", body);
            System.out.println(answer.get("token").asText());
            System.err.printf("Token %s created%s%s. Use it as MLFLOW_TRACKING_TOKEN; it is not shown again.%n",
                    answer.get("token_info").get("id").asText(), readOnly ? " (read-only)" : "",
                    days == null ? "" : ", expires " + Instant.ofEpochMilli(answer.get("token_info").get("expiry_time").asLong()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tokens (never their secrets).")
    static final class List extends Server implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf("%-16s  %-20s  %-9s  %-8s  %s%n", "ID", "NAME", "SCOPE", "STATE", "EXPIRES");
            for (JsonNode t : get("tokens/list").path("tokens")) {
                System.out.printf("%-16s  %-20s  %-9s  %-8s  %s%n", t.get("id").asText(), t.get("name").asText(),
                        t.get("read_only").asBoolean() ? "read-only" : "full",
                        t.get("active").asBoolean() ? "active" : t.has("revoked_time") ? "revoked" : "expired",
                        t.has("expiry_time") ? Instant.ofEpochMilli(t.get("expiry_time").asLong()).toString() : "never");
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it stops working at once.")
    static final class Revoke extends Server implements Callable<Integer> {
        @Parameters(paramLabel = "TOKEN_ID")
        String id;

        @Override
        public Integer call() {
            post("tokens/revoke", Map.of("token_id", id));
            System.out.printf("Token %s revoked%n", id);
            return 0;
        }
    }
}
