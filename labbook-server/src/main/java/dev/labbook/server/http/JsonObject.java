package dev.labbook.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A nested JSON message of a request (a metric in a batch, a dataset in log-inputs) with the same
 * typed accessors as {@link ApiRequest}; errors name the field by its full path
 * ({@code metrics[3].value}).
 */
public final class JsonObject {
    private final ObjectNode node;
    private final String path;

    JsonObject(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    private String field(String name) {
        return path + "." + name;
    }

    /** A string field, or null when absent; any other JSON type is refused (see {@link ApiRequest#string}). */
    public String string(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiRequest.invalidValue(field(name), n);
        }
        return n.asText();
    }

    /** A string field that must be present (it may be empty). */
    public String requiredString(String name) {
        String v = string(name);
        if (v == null) {
            throw ApiRequest.missing(field(name));
        }
        return v;
    }

    /** A 64-bit integer field (a JSON integer or a string holding one), or null when absent. */
    public Long optLong(String name) {
        return ApiRequest.jsonLong(node.get(name), field(name));
    }

    /**
     * A boolean field: a JSON boolean, or the string "true" or "false" (null when absent); any
     * other value is refused.
     */
    public Boolean optBool(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw ApiRequest.invalidValue(field(name), n);
    }

    /** A 64-bit integer field that must be present. */
    public long requiredLong(String name) {
        Long v = optLong(name);
        if (v == null) {
            throw ApiRequest.missing(field(name));
        }
        return v;
    }

    public long longOr(String name, long fallback) {
        Long v = optLong(name);
        return v == null ? fallback : v;
    }

    /** A double field that must be present (a JSON number or a string holding one). */
    public double requiredDouble(String name) {
        Double v = ApiRequest.jsonDouble(node.get(name), field(name));
        if (v == null) {
            throw ApiRequest.missing(field(name));
        }
        return v;
    }

    public JsonObject object(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiRequest.invalidValue(field(name), n);
        }
        return new JsonObject((ObjectNode) n, field(name));
    }

    public <T> java.util.List<T> objects(String name, java.util.function.Function<JsonObject, T> reader) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return java.util.List.of();
        }
        if (!n.isArray()) {
            throw ApiRequest.invalidValue(field(name), n);
        }
        java.util.List<T> out = new java.util.ArrayList<>(n.size());
        int i = 0;
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw ApiRequest.wrongType(path + "." + name + "[" + i + "]", "an object");
            }
            out.add(reader.apply(new JsonObject((ObjectNode) e, path + "." + name + "[" + i + "]")));
            i++;
        }
        return out;
    }

    /** The object's fields as strings (for map-typed fields). */
    public Map<String, String> asStringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
