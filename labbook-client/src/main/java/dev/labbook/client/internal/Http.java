package dev.labbook.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * JSON over HTTP to an MLflow-compatible server. Every failure is a {@link LabbookException}:
 * the server's own {@code error_code} when it sent one, else a code chosen from the status;
 * a transport failure (no connection, reset, timeout) is {@link ErrorCode#TEMPORARILY_UNAVAILABLE}.
 */
public final class Http {
    private final HttpClient client;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    public Http(URI base, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        // MLflow's conventions: a bearer token, or basic credentials, from the environment or ~/.mlflow/credentials
        this.authorization = Credentials.authorization();
    }

    public URI base() {
        return base;
    }

    /** POSTs a JSON body to {@code api/2.0/mlflow/<endpoint>} and returns the parsed answer. */
    public JsonNode post(String endpoint, Object body) {
        return send("POST", endpoint, body);
    }

    /**
     * Sends a JSON body with {@code method} to {@code api/2.0/mlflow/<endpoint>} and returns the
     * parsed answer. MLflow's model registry uses PATCH for updates and DELETE with a JSON body.
     */
    public JsonNode send(String method, String endpoint, Object body) {
        try {
            byte[] bytes = body instanceof byte[] b ? b : Wire.JSON.writeValueAsBytes(body);
            return json(send(request("api/2.0/mlflow/" + endpoint)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LabbookException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot encode request: " + e.getMessage(), e);
        }
    }

    /** GETs {@code api/2.0/mlflow/<endpoint>?query} and returns the parsed answer. */
    public JsonNode get(String endpoint, Map<String, ?> query) {
        return json(send(request("api/2.0/mlflow/" + endpoint + query(query)).GET().build()));
    }

    /** A request builder for a path relative to the server's base URI, with auth and timeout. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /** Sends a request, returning the body stream of a 2xx answer; the caller closes it. */
    public InputStream send(HttpRequest request) {
        return exchange(request).body();
    }

    /** Sends a request, returning a 2xx answer whose body stream the caller closes. */
    public HttpResponse<InputStream> exchange(HttpRequest request) {
        HttpResponse<InputStream> res;
        try {
            res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Interrupted talking to " + base, e);
        }
        if (res.statusCode() / 100 == 2) {
            return res;
        }
        throw error(res);
    }

    private static LabbookException error(HttpResponse<InputStream> res) {
        String text;
        try (InputStream in = res.body()) {
            text = new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        ErrorCode code = codeFor(res.statusCode());
        String message = "HTTP " + res.statusCode() + " from " + res.request().uri().getPath();
        try {
            JsonNode n = Wire.JSON.readTree(text);
            if (n != null && n.hasNonNull("error_code")) {
                try {
                    code = ErrorCode.valueOf(n.get("error_code").asText());
                } catch (IllegalArgumentException unknown) {
                    // keep the status-derived code
                }
                // the status decides retrying: a 5xx stays retryable whatever code it carries
                if (res.statusCode() >= 500 && code.httpStatus() < 500) {
                    code = ErrorCode.INTERNAL_ERROR;
                }
                message = n.path("message").asText(message);
            } else if (!text.isBlank()) {
                message += ": " + text.strip().substring(0, Math.min(200, text.strip().length()));
            }
        } catch (IOException notJson) {
            if (!text.isBlank()) {
                message += ": " + text.strip().substring(0, Math.min(200, text.strip().length()));
            }
        }
        return new LabbookException(code, message);
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.RESOURCE_DOES_NOT_EXIST;
            case 409 -> ErrorCode.RESOURCE_CONFLICT;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    private static JsonNode json(InputStream in) {
        try (in) {
            byte[] b = in.readAllBytes();
            return b.length == 0 ? Wire.JSON.createObjectNode() : Wire.JSON.readTree(b);
        } catch (IOException e) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Unreadable answer: " + e.getMessage(), e);
        }
    }

    /** A query string; list values repeat the parameter. */
    static String query(Map<String, ?> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v instanceof Iterable<?> it) {
                it.forEach(x -> j.add(enc(k) + "=" + enc(String.valueOf(x))));
            } else if (v != null) {
                j.add(enc(k) + "=" + enc(String.valueOf(v)));
            }
        });
        return j.toString();
    }

    /** Percent-encodes each segment of a slash-separated path. */
    public static String encodePath(String path) {
        StringJoiner j = new StringJoiner("/");
        for (String seg : path.split("/", -1)) {
            j.add(enc(seg).replace("+", "%20"));
        }
        return j.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** True for failures worth retrying: transport errors, 5xx and 429. */
    public static boolean isRetryable(LabbookException e) {
        return e.code() == ErrorCode.TEMPORARILY_UNAVAILABLE || e.code() == ErrorCode.REQUEST_LIMIT_EXCEEDED
                || e.code() == ErrorCode.INTERNAL_ERROR;
    }
}
