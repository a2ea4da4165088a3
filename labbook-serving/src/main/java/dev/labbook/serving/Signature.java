package dev.labbook.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the input column of a model's signature from its {@code MLmodel} file. */
final class Signature {
    /** The column Labbook's models read when a signature names none. */
    static final String DEFAULT_COLUMN = "text";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Signature() {}

    /**
     * The name of the first string input of {@code signature.inputs} (MLflow keeps the schema as
     * JSON text inside the descriptor), or {@value #DEFAULT_COLUMN}.
     */
    static String inputColumn(Path modelDir) {
        try {
            JsonNode root = JSON.readTree(modelDir.resolve("MLmodel").toFile());
            JsonNode inputs = root.path("signature").path("inputs");
            JsonNode schema = inputs.isTextual() ? JSON.readTree(inputs.asText()) : inputs;
            for (JsonNode col : schema) {
                if ("string".equals(col.path("type").asText()) && col.hasNonNull("name")) {
                    return col.get("name").asText();
                }
            }
        } catch (IOException e) {
            // a descriptor Models.load reads but whose signature is not JSON: the default column
        }
        return DEFAULT_COLUMN;
    }
}
