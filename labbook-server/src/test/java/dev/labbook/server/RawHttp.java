package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MLflow REST API over the JDK's HttpClient, for what the official Java client does not
 * cover: exact status codes, error bodies, malformed requests, endpoints it lacks.
 */
final class RawHttp {
    static final String PREFIX = "/api/2.0/mlflow/";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    RawHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** GET {@code PREFIX + endpoint} with the given query parameters (key, value, key, value...). */
    Response get(String endpoint, String... keyValues) {
        return send("GET", PREFIX + endpoint + query(keyValues), null);
    }

    /** POST a JSON body: a String is sent as is, anything else is serialized with Jackson. */
    Response post(String endpoint, Object body) {
        return send("POST", PREFIX + endpoint, body instanceof String s ? s : write(body));
    }

    /** Any method on any path (absolute, starting with {@code /}). */
    Response send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = sendOnce(b.build());
            return new Response(Response.abbreviate(method + " " + path), r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request, once more if the server had closed the pooled connection before this
     * request reached it (an EOF before any response byte). Jetty closes a connection after
     * answering a request whose body it did not read (an oversized body, say), and the JDK client
     * can pick that connection before it notices, as OkHttp's retry on a stale connection covers.
     */
    private HttpResponse<String> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String query(String... keyValues) {
        if (keyValues.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (i > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(keyValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    // ---- conveniences over the API ----

    String createExperiment(String name) {
        return post("experiments/create", Map.of("name", name)).ok().get("experiment_id").asText();
    }

    String createRun(String experimentId, String runName) {
        return post("runs/create", Map.of("experiment_id", experimentId, "run_name", runName, "start_time", 1_000))
                .ok().get("run").get("info").get("run_id").asText();
    }

    /** The run as runs/get returns it. */
    JsonNode run(String runId) {
        return get("runs/get", "run_id", runId).ok().get("run");
    }

    /** Every point of a metric's history, following page tokens. */
    List<JsonNode> history(String runId, String key) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        do {
            Response r = token == null
                    ? get("metrics/get-history", "run_id", runId, "metric_key", key)
                    : get("metrics/get-history", "run_id", runId, "metric_key", key, "page_token", token);
            JsonNode body = r.ok();
            body.path("metrics").forEach(out::add);
            token = body.hasNonNull("next_page_token") ? body.get("next_page_token").asText() : null;
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** A metric message for log-batch. */
    static Map<String, Object> metric(String key, Object value, long timestamp, long step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", value);
        m.put("timestamp", timestamp);
        m.put("step", step);
        return m;
    }

    /** A key/value message (param or tag). */
    static Map<String, Object> kv(String key, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", value);
        return m;
    }

    /** The keys of a list of key/value messages (run.data.metrics, params, tags). */
    static List<String> keys(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("key").asText()));
        return out;
    }

    /** A JSON number or one of protobuf's strings "NaN", "Infinity", "-Infinity". */
    static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        return switch (n.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(n.asText());
        };
    }

    /** One HTTP exchange. */
    record Response(String request, int status, String contentType, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError(request + ": the body is not JSON: " + abbreviate(body), e);
            }
        }

        /** Asserts a 200 with a JSON body and returns the body. */
        JsonNode ok() {
            if (status != 200) {
                fail(request + " answered " + status + ": " + abbreviate(body));
            }
            assertTrue(contentType.startsWith("application/json"), request + ": content type " + contentType);
            return json();
        }

        /**
         * Asserts an MLflow error: the status, a JSON body with one of the given error codes and a
         * non-empty message, and nothing of the server's internals (no stack trace, no exception
         * class names). Returns the message.
         */
        String error(int expectedStatus, String... allowedCodes) {
            return error(new int[] {expectedStatus}, allowedCodes);
        }

        String error(int[] allowedStatuses, String... allowedCodes) {
            assertTrue(Arrays.stream(allowedStatuses).anyMatch(s -> s == status),
                    request + ": expected status " + Arrays.toString(allowedStatuses) + " but got " + status + ": "
                            + abbreviate(body));
            assertTrue(contentType.startsWith("application/json"),
                    request + ": error content type is '" + contentType + "': " + abbreviate(body));
            JsonNode json = json();
            assertTrue(json.isObject(), request + ": error body is not an object: " + abbreviate(body));
            JsonNode code = json.get("error_code");
            assertNotNull(code, request + ": no error_code in " + abbreviate(body));
            assertTrue(code.isTextual(), request + ": error_code is not a string: " + abbreviate(body));
            assertTrue(Arrays.asList(allowedCodes).contains(code.asText()),
                    request + ": expected error_code in " + Arrays.toString(allowedCodes) + " but got " + abbreviate(body));
            JsonNode message = json.get("message");
            assertNotNull(message, request + ": no message in " + abbreviate(body));
            assertTrue(message.isTextual() && !message.asText().isBlank(), request + ": empty message: " + abbreviate(body));
            assertNoInternals();
            return message.asText();
        }

        void assertNoInternals() {
            assertFalse(body.contains("at dev.labbook"), request + ": stack trace in the body: " + abbreviate(body));
            assertFalse(body.contains("\tat "), request + ": stack trace in the body: " + abbreviate(body));
            assertFalse(body.contains("Exception"), request + ": exception class name in the body: " + abbreviate(body));
            assertFalse(body.matches("(?s).*\\b(java|javax|jakarta|org\\.eclipse|io\\.javalin|com\\.fasterxml|org\\.jdbi|org\\.sqlite)\\.[a-z]+\\.[A-Za-z.]+.*"),
                    request + ": internal class name in the body: " + abbreviate(body));
            assertFalse(body.contains("[Source:") || body.contains("REDACTED") || body.contains("Feature."),
                    request + ": parser internals in the body: " + abbreviate(body));
            assertFalse(body.contains("SQLITE_") || body.contains("SQL error") || body.contains("SELECT "),
                    request + ": SQL details in the body: " + abbreviate(body));
        }

        static String abbreviate(String s) {
            return s.length() <= 600 ? s : s.substring(0, 600) + "...(" + s.length() + " chars)";
        }
    }

    static void assertStatus(int expected, Response r) {
        assertEquals(expected, r.status(), r.request() + ": " + Response.abbreviate(r.body()));
    }
}
