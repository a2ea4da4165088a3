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

    private JsonNode value(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw ApiRequest.wrongType(path + "." + name, "a scalar");
        }
        return n;
    }

    public String string(String name) {
        JsonNode n = value(name);
        return n == null ? null : n.asText();
    }

    public String requiredString(String name) {
        String v = string(name);
        if (v == null) {
            throw ApiRequest.missing(path + "." + name);
        }
        return v;
    }

    public Long optLong(String name) {
        JsonNode n = value(name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            throw ApiRequest.wrongType(path + "." + name, "an integer");
        }
    }

    public long longOr(String name, long fallback) {
        Long v = optLong(name);
        return v == null ? fallback : v;
    }

    public double requiredDouble(String name) {
        JsonNode n = value(name);
        if (n == null) {
            throw ApiRequest.missing(path + "." + name);
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        return ApiRequest.parseDouble(n.asText(), path + "." + name);
    }

    public JsonObject object(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiRequest.wrongType(path + "." + name, "an object");
        }
        return new JsonObject((ObjectNode) n, path + "." + name);
    }

    public <T> java.util.List<T> objects(String name, java.util.function.Function<JsonObject, T> reader) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return java.util.List.of();
        }
        if (!n.isArray()) {
            throw ApiRequest.wrongType(path + "." + name, "an array of objects");
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
