package dev.labbook.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory's {@code MLmodel} file read as YAML (MLflow's Python client writes YAML;
 * Labbook writes JSON, which YAML reads too), and its signature, whose {@code inputs} and
 * {@code outputs} MLflow keeps as JSON text.
 */
final class MlModel {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private MlModel() {}

    /** The parsed {@code MLmodel} of {@code dir}. */
    static JsonNode read(Path dir) {
        try {
            JsonNode root = YAML.readTree(dir.resolve("MLmodel").toFile());
            if (root == null || !root.isObject()) {
                throw LabbookException.invalid("%s/MLmodel is not a YAML mapping", dir);
            }
            return root;
        } catch (IOException e) {
            throw LabbookException.invalid("Could not read %s/MLmodel: %s", dir, e.getMessage());
        }
    }

    /** Whether the model has the flavor {@code name}. */
    static boolean hasFlavor(JsonNode mlmodel, String name) {
        return mlmodel.path("flavors").has(name);
    }

    /** The signature's input schema as a JSON array (empty when there is none or it does not parse). */
    static JsonNode inputs(JsonNode mlmodel) {
        JsonNode inputs = mlmodel.path("signature").path("inputs");
        try {
            JsonNode schema = inputs.isTextual() ? JSON.readTree(inputs.asText()) : inputs;
            return schema != null && schema.isArray() ? schema : JSON.createArrayNode();
        } catch (IOException e) {
            return JSON.createArrayNode();
        }
    }

    /** The names of a column-based input schema, in order; empty for a tensor schema. */
    static List<String> columnNames(JsonNode mlmodel) {
        List<String> names = new ArrayList<>();
        for (JsonNode col : inputs(mlmodel)) {
            if ("tensor".equals(col.path("type").asText())) {
                return List.of();
            }
            if (col.hasNonNull("name")) {
                names.add(col.get("name").asText());
            }
        }
        return List.copyOf(names);
    }
}
