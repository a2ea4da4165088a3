package dev.labbook.train.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.labbook.core.LabbookException;
import dev.labbook.core.provenance.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code MLmodel} file of a saved model: its flavor, signature ({@code text -> label, score}),
 * how to load it, its files and the settings needed to rebuild its features. Written as JSON,
 * which is also valid YAML, so MLflow's tools read it as a model directory too.
 *
 * @param flavor {@code nblr} or {@code fasttext}
 * @param files the model's files, relative to its directory
 * @param settings what the flavor needs to load itself (n-gram range, sizes, ...)
 */
public record ModelDescriptor(String flavor, List<String> files, Map<String, Object> settings) {
    /** The descriptor's file name, as in MLflow. */
    public static final String FILE = "MLmodel";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code MLmodel} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Map<String, Object> flavorBlock = new LinkedHashMap<>();
        flavorBlock.put("flavor", flavor);
        flavorBlock.put("loader", Models.class.getName() + "#load");
        flavorBlock.put("files", files);
        flavorBlock.put("settings", settings);
        Map<String, Object> signature = new LinkedHashMap<>();
        // MLflow keeps the schema as JSON text inside the signature
        signature.put("inputs", "[{\"name\": \"text\", \"type\": \"string\"}]");
        signature.put("outputs", "[{\"name\": \"label\", \"type\": \"string\"}, {\"name\": \"score\", \"type\": \"double\"}]");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("artifact_path", "model");
        root.put("flavors", Map.of("labbook", flavorBlock));
        root.put("signature", signature);
        BuildInfo build = BuildInfo.current();
        root.put("labbook_version", build.version());
        root.put("labbook_build_commit", build.commit());
        JSON.writeValue(dir.resolve(FILE).toFile(), root);
    }

    /** Reads {@code MLmodel} from {@code dir}. */
    @SuppressWarnings("unchecked")
    public static ModelDescriptor read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LabbookException.notFound("%s is not a Labbook model: it has no %s file", dir, FILE);
        }
        Map<String, Object> root = JSON.readValue(file.toFile(), Map.class);
        Object flavors = root.get("flavors");
        if (!(flavors instanceof Map<?, ?> f) || !(f.get("labbook") instanceof Map<?, ?> block)) {
            throw LabbookException.invalid("%s has no 'labbook' flavor", file);
        }
        return new ModelDescriptor((String) block.get("flavor"), (List<String>) block.get("files"),
                (Map<String, Object>) block.get("settings"));
    }

    /** An integer setting. */
    public int intSetting(String key) {
        return ((Number) settings.get(key)).intValue();
    }

    /** A floating-point setting. */
    public double doubleSetting(String key) {
        return ((Number) settings.get(key)).doubleValue();
    }
}
