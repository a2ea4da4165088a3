package dev.labbook.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parameters of one API call, read from the query string of a GET (or of any request without
 * a body) or the JSON body of any other method, with typed accessors that turn a missing or
 * mistyped field into MLflow's INVALID_PARAMETER_VALUE. Numbers may arrive as JSON numbers or as strings, since protobuf's JSON
 * mapping prints 64-bit integers as strings.
 */
public final class ApiRequest {
    private final Context ctx;
    private final ObjectNode body;

    private ApiRequest(Context ctx, ObjectNode body) {
        this.ctx = ctx;
        this.body = body;
    }

    /** Reads the request; a body that is not a JSON object is a MALFORMED_REQUEST. */
    public static ApiRequest of(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            return new ApiRequest(ctx, null);
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            // No body: read the query string instead. MLflow's clients send DELETE parameters as a
            // JSON body, but curl users and some HTTP libraries put them in the query string.
            return new ApiRequest(ctx, null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new LabbookException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON in request body" + where(e) + ": "
                    + (e instanceof JsonParseException ? withoutSource(e.getOriginalMessage()) : "unexpected content after the JSON value"));
        } catch (java.io.IOException e) {
            throw new LabbookException(ErrorCode.MALFORMED_REQUEST, "Unreadable request body");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new ApiRequest(ctx, Json.MAPPER.createObjectNode());
        }
        if (!node.isObject()) {
            throw new LabbookException(ErrorCode.MALFORMED_REQUEST, "Request body must be a JSON object");
        }
        return new ApiRequest(ctx, (ObjectNode) node);
    }

    /**
     * Where in the body a parse error is, for the message. Only Jackson's syntax errors
     * (JsonParseException) have messages fit for a client; the others (trailing content) name
     * Jackson's own classes and are described here instead.
     */
    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** Drops Jackson's description of its input source ("[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, ...]"). */
    private static String withoutSource(String message) {
        return message == null ? "not valid JSON" : message.replaceAll("\\[Source: [^\\]]*?; line:", "[line:");
    }

    /** The Javalin context, for handlers that stream (artifacts). */
    public Context context() {
        return ctx;
    }

    /** True when the field is present and not null. */
    public boolean has(String name) {
        if (body == null) {
            return ctx.queryParam(name) != null;
        }
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    /** A string field, or null when absent. */
    public String string(String name) {
        if (body == null) {
            return ctx.queryParam(name);
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode() || n.isBinary()) {
            throw wrongType(name, "a string");
        }
        return n.asText();
    }

    /** A string field that must be present and non-empty. */
    public String requiredString(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            throw missing(name);
        }
        return v;
    }

    /** A string field, falling back to an alternative name (e.g. run_uuid for run_id). */
    public String requiredString(String name, String alias) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            v = string(alias);
        }
        if (v == null || v.isEmpty()) {
            throw missing(name);
        }
        return v;
    }

    /** A 64-bit integer field, or null when absent. */
    public Long optLong(String name) {
        String raw = scalar(name);
        if (raw == null) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw wrongType(name, "an integer");
        }
    }

    /** A 64-bit integer field that must be present. */
    public long requiredLong(String name) {
        Long v = optLong(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** A 32-bit integer field with a default. */
    public int intOr(String name, int fallback) {
        Long v = optLong(name);
        if (v == null) {
            return fallback;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw LabbookException.invalid("Invalid value %d for parameter '%s': out of range", v, name);
        }
        return v.intValue();
    }

    /** A double field that must be present; accepts "NaN", "Infinity" and "-Infinity". */
    public double requiredDouble(String name) {
        String raw = scalar(name);
        if (raw == null) {
            throw missing(name);
        }
        return parseDouble(raw, name);
    }

    /** A boolean field with a default. */
    public boolean boolOr(String name, boolean fallback) {
        String raw = scalar(name);
        if (raw == null) {
            return fallback;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw wrongType(name, "a boolean");
    }

    /** An enum field given by name, with a default. */
    public <E extends Enum<E>> E enumOr(String name, Class<E> type, E fallback) {
        String raw = string(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LabbookException.invalid("Invalid value '%s' for parameter '%s'; expected one of %s",
                    raw, name, java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A repeated string field (a JSON array, or a repeated query parameter); empty when absent. */
    public List<String> strings(String name) {
        if (body == null) {
            return ctx.queryParams(name);
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(name, "an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isValueNode() || e.isNull()) {
                throw wrongType(name, "an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** A repeated message field, each element converted by {@code reader}; empty when absent. */
    public <T> List<T> objects(String name, Function<JsonObject, T> reader) {
        if (body == null) {
            return List.of();
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(name, "an array of objects");
        }
        List<T> out = new ArrayList<>(n.size());
        int i = 0;
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw wrongType(name + "[" + i + "]", "an object");
            }
            out.add(reader.apply(new JsonObject((ObjectNode) e, name + "[" + i + "]")));
            i++;
        }
        return out;
    }

    /** A nested message field, or null when absent. */
    public JsonObject object(String name) {
        if (body == null) {
            return null;
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(name, "an object");
        }
        return new JsonObject((ObjectNode) n, name);
    }

    /** The path parameter captured by the route, e.g. the artifact path. */
    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    /** A map field of string values (JSON object), empty when absent. */
    public Map<String, String> stringMap(String name) {
        JsonObject o = object(name);
        return o == null ? Map.of() : o.asStringMap();
    }

    private String scalar(String name) {
        if (body == null) {
            return ctx.queryParam(name);
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw wrongType(name, "a scalar");
        }
        return n.asText();
    }

    static double parseDouble(String raw, String name) {
        String s = raw.trim();
        switch (s) {
            case "NaN", "nan":
                return Double.NaN;
            case "Infinity", "inf", "+Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw wrongType(name, "a number");
                }
        }
    }

    static LabbookException missing(String name) {
        return LabbookException.invalid(
                "Missing value for required parameter '%s'. See the API docs for more information about request parameters.",
                name);
    }

    static LabbookException wrongType(String name, String expected) {
        return LabbookException.invalid("Invalid value for parameter '%s': expected %s", name, expected);
    }
}
