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
    /**
     * Endpoints whose handler reads the body with a streaming parser ({@link #bodyBytes()}), so
     * the tree is only built if some accessor asks for it. log-batch is the ingestion hot path:
     * its 1000 metrics would otherwise become some 5000 tree nodes per request.
     */
    private static final String[] STREAMED_ENDPOINTS = {"runs/log-batch"};

    private final Context ctx;
    /** The parsed body; null for GET and HEAD (query string) and until a streamed body is needed. */
    private ObjectNode body;
    private final boolean query;

    private ApiRequest(Context ctx, ObjectNode body, boolean query) {
        this.ctx = ctx;
        this.body = body;
        this.query = query;
    }

    /** Reads the request; a body that is not a JSON object is a MALFORMED_REQUEST. */
    public static ApiRequest of(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            return new ApiRequest(ctx, null, true);
        }
        if (streamed(ctx.path())) {
            return new ApiRequest(ctx, null, false);
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            // No body: read the query string instead. MLflow's clients send DELETE parameters as a
            // JSON body, but curl users and some HTTP libraries put them in the query string.
            return new ApiRequest(ctx, null, true);
        }
        return new ApiRequest(ctx, parse(bytes), false);
    }

    private static boolean streamed(String path) {
        for (String endpoint : STREAMED_ENDPOINTS) {
            if (path.endsWith(endpoint)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) {
            throw unreadable();
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw notAnObject();
        }
        return (ObjectNode) node;
    }

    /** The error for a body that is not JSON. */
    public static LabbookException malformed(JsonProcessingException e) {
        return new LabbookException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON in request body" + where(e) + ": "
                + (e instanceof JsonParseException ? withoutSource(e.getOriginalMessage()) : "unexpected content after the JSON value"));
    }

    /** The error for a body that could not be read. */
    public static LabbookException unreadable() {
        return new LabbookException(ErrorCode.MALFORMED_REQUEST, "Unreadable request body");
    }

    /** The error for a JSON body that is not an object. */
    public static LabbookException notAnObject() {
        return new LabbookException(ErrorCode.MALFORMED_REQUEST, "Request body must be a JSON object");
    }

    /** The parsed body (built on first use for streamed endpoints); null for a query-string request. */
    private ObjectNode body() {
        if (body == null && !query) {
            body = parse(ctx.bodyAsBytes());
        }
        return body;
    }

    /** The raw request body, for handlers that parse it with a streaming parser. */
    public byte[] bodyBytes() {
        return ctx.bodyAsBytes();
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

    /** What the caller may read (everything unless access control hides some): for searches. */
    public Visibility visibility() {
        return Visibility.of(ctx);
    }

    /** The Javalin context, for handlers that stream (artifacts). */
    public Context context() {
        return ctx;
    }

    /** True when the field is present and not null. */
    public boolean has(String name) {
        ObjectNode body = body();
        if (body == null) {
            return ctx.queryParam(name) != null;
        }
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    /**
     * A string field, or null when absent. A JSON value of any other type (a number, a boolean,
     * an object, an array) is refused, as MLflow's request schemas refuse it: {@code {"name": 123}}
     * names no experiment.
     */
    public String string(String name) {
        ObjectNode body = body();
        if (body == null) {
            return ctx.queryParam(name);
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalidValue(name, n);
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

    /**
     * A 64-bit integer field, or null when absent: a JSON integer, or a string holding one (protobuf's
     * JSON mapping prints int64 as a string). Fractions, booleans, objects and arrays are refused.
     */
    public Long optLong(String name) {
        ObjectNode body = body();
        if (body == null) {
            String raw = ctx.queryParam(name);
            return raw == null ? null : parseLong(raw, name);
        }
        return jsonLong(body.get(name), name);
    }

    /** The integer a JSON value holds (see {@link #optLong}); null for an absent or null value. */
    public static Long jsonLong(JsonNode n, String name) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            return parseLong(n.asText(), name);
        }
        throw invalidValue(name, n);
    }

    private static long parseLong(String raw, String name) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalidValue(name, Json.MAPPER.getNodeFactory().textNode(raw));
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

    /**
     * A double field that must be present: a JSON number, or a string holding one ("NaN",
     * "Infinity" and "-Infinity" included, as protobuf prints them).
     */
    public double requiredDouble(String name) {
        ObjectNode body = body();
        if (body == null) {
            String raw = ctx.queryParam(name);
            if (raw == null) {
                throw missing(name);
            }
            return parseDouble(raw, name);
        }
        Double v = jsonDouble(body.get(name), name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** The number a JSON value holds (see {@link #requiredDouble}); null for an absent or null value. */
    public static Double jsonDouble(JsonNode n, String name) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            return parseDouble(n.asText(), name);
        }
        throw invalidValue(name, n);
    }

    /** A boolean field with a default: a JSON boolean, or the string "true" or "false". */
    public boolean boolOr(String name, boolean fallback) {
        ObjectNode body = body();
        JsonNode n = body == null ? null : body.get(name);
        if (n != null && n.isBoolean()) {
            return n.asBoolean();
        }
        String raw = body == null ? ctx.queryParam(name) : (n == null || n.isNull() ? null : n.isTextual() ? n.asText() : "");
        if (raw == null) {
            return fallback;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalidValue(name, n != null ? n : Json.MAPPER.getNodeFactory().textNode(raw));
    }

    /** An enum field given by name, with a default. */
    public <E extends Enum<E>> E enumOr(String name, Class<E> type, E fallback) {
        String raw = scalar(name);
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

    /**
     * A repeated string field (a JSON array of strings, or a repeated query parameter); empty when
     * absent. Anything but an array of strings is refused, as MLflow's schemas refuse it.
     */
    public List<String> strings(String name) {
        ObjectNode body = body();
        if (body == null) {
            return ctx.queryParams(name);
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw invalidValue(name, n);
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw invalidValue(name, n);
            }
            out.add(e.asText());
        }
        return out;
    }

    /** A repeated message field, each element converted by {@code reader}; empty when absent. */
    public <T> List<T> objects(String name, Function<JsonObject, T> reader) {
        ObjectNode body = body();
        if (body == null) {
            return List.of();
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw invalidValue(name, n);
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
        ObjectNode body = body();
        if (body == null) {
            return null;
        }
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw invalidValue(name, n);
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
        ObjectNode body = body();
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

    public static double parseDouble(String raw, String name) {
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
                    throw invalidValue(name, Json.MAPPER.getNodeFactory().textNode(raw));
                }
        }
    }

    public static LabbookException missing(String name) {
        return LabbookException.invalid(
                "Missing value for required parameter '%s'. See the API docs for more information about request parameters.",
                name);
    }

    /**
     * MLflow's message for a value of the wrong type ({@code _validate_param_against_schema}):
     * {@code Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. See
     * the API docs for more information about request parameters.} The type is named as Python
     * names the parsed JSON value.
     */
    public static LabbookException invalidValue(String name, JsonNode value) {
        String shown;
        try {
            shown = Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            shown = value.toString();
        }
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + "...";
        }
        return LabbookException.invalid("Invalid value %s for parameter '%s' supplied:  Hint: Value was of type '%s'. "
                + "See the API docs for more information about request parameters.", shown, name, pythonType(value));
    }

    private static String pythonType(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "int";
        }
        if (n.isNumber()) {
            return "float";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        if (n.isTextual()) {
            return "str";
        }
        if (n.isObject()) {
            return "dict";
        }
        return n.isArray() ? "list" : "NoneType";
    }

    public static LabbookException wrongType(String name, String expected) {
        return LabbookException.invalid("Invalid value for parameter '%s': expected %s", name, expected);
    }
}
