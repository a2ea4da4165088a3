package dev.labbook.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bare JDK HTTP client for the registry endpoints: the requests MLflow's clients send. */
final class RegistryHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and parsed JSON body. */
    record Reply(int status, JsonNode body) {
        String errorCode() {
            return body.path("error_code").asText();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    RegistryHttp(String base) {
        this.base = base;
    }

    /** {@code method} with a JSON body built from alternating keys and values. */
    Reply send(String method, String endpoint, Object... keysAndValues) {
        try {
            String body = JSON.writeValueAsString(map(keysAndValues));
            return exchange(HttpRequest.newBuilder(URI.create(base + endpoint))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code method} without a body, the parameters in the query string. */
    Reply query(String method, String endpoint, Object... keysAndValues) {
        StringBuilder q = new StringBuilder();
        map(keysAndValues).forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        return exchange(HttpRequest.newBuilder(URI.create(base + endpoint + q)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    Reply get(String endpoint, Object... keysAndValues) {
        return query("GET", endpoint, keysAndValues);
    }

    Reply post(String endpoint, Object... keysAndValues) {
        return send("POST", endpoint, keysAndValues);
    }

    private Reply exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
