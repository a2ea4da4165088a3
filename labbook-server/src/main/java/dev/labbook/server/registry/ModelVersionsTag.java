package dev.labbook.server.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mlflow.modelVersions} tag MLflow 3 keeps on a logged model: the registry versions
 * made from it, as JSON written the way Python's {@code json.dumps} writes it
 * ({@code [{"name": "m", "version": 1}]}), which MLflow's clients read back.
 */
final class ModelVersionsTag {
    /** The tag's key. */
    static final String KEY = "mlflow.modelVersions";
    /** Python's json.dumps escapes every non-ASCII character. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII).build();

    private ModelVersionsTag() {}

    /** {@code existing} (the tag's value, or null) with version {@code version} of {@code name} added once. */
    static String append(String existing, String name, long version) {
        List<String> entries = new ArrayList<>();
        boolean present = false;
        if (existing != null && !existing.isBlank()) {
            try {
                for (JsonNode e : JSON.readTree(existing)) {
                    String n = e.path("name").asText();
                    long v = e.path("version").asLong();
                    present |= n.equals(name) && v == version;
                    entries.add(entry(n, v));
                }
            } catch (JsonProcessingException e) {
                // a value no MLflow client wrote: start the list afresh rather than fail the registration
                entries.clear();
            }
        }
        if (!present) {
            entries.add(entry(name, version));
        }
        return "[" + String.join(", ", entries) + "]";
    }

    private static String entry(String name, long version) {
        try {
            return "{\"name\": " + JSON.writeValueAsString(name) + ", \"version\": " + version + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
