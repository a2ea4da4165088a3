package dev.labbook.server.tracking;

import static dev.labbook.server.http.Api.empty;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.Json;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.TrackingStore;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code runs/log-model}: MLflow 2.x clients record every {@code log_model} through it. As MLflow's
 * store does ({@code record_logged_model}), the model's summary (run_id, artifact_path,
 * utc_time_created, model_uuid and its flavors without their {@code config}) is appended to the
 * JSON list in the run tag {@code mlflow.log-model.history}, written the way Python's
 * {@code json.dumps} writes it.
 */
public final class LogModelRoutes implements RouteGroup {
    /** The run tag MLflow keeps the list of logged models in. */
    public static final String HISTORY_TAG = "mlflow.log-model.history";
    private static final List<String> REQUIRED = List.of("artifact_path", "flavors", "utc_time_created", "run_id");
    private static final List<String> KEPT = List.of("run_id", "artifact_path", "utc_time_created", "model_uuid");
    /** Python's json.dumps defaults: ", " and ": " separators, non-ASCII escaped. */
    private static final ObjectWriter PYTHON_JSON = Json.MAPPER.writer(new PythonSeparators())
            .with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final TrackingStore store;

    public LogModelRoutes(TrackingStore store) {
        this.store = store;
    }

    @Override
    public void register(Api api) {
        api.post("runs/log-model", this::logModel);
    }

    private Object logModel(ApiRequest req) throws IOException {
        String runId = RunRoutes.runId(req);
        String modelJson = req.requiredString("model_json");
        JsonNode model;
        try {
            model = Json.MAPPER.readTree(modelJson);
        } catch (JsonProcessingException e) {
            model = null;
        }
        if (model == null || !model.isObject()) {
            throw LabbookException.invalid("Malformed model info. \n %s \n is not a valid JSON.", modelJson);
        }
        TreeSet<String> missing = new TreeSet<>();
        for (String field : REQUIRED) {
            if (!model.has(field)) {
                missing.add("'" + field + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw LabbookException.invalid("Model json is missing mandatory fields: {%s}", String.join(", ", missing));
        }
        ObjectNode summary = summary(model);
        // read and written back in one store transaction: concurrent log-model calls, through
        // this replica or another, each add their entry
        store.updateTag(runId, HISTORY_TAG, old -> {
            ArrayNode history = previous(old);
            history.add(summary);
            try {
                return PYTHON_JSON.writeValueAsString(history);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        return empty();
    }

    /** MLflow's {@code Model.get_tags_dict()}: the kept fields, and each flavor without its config. */
    private static ObjectNode summary(JsonNode model) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String field : KEPT) {
            if (model.has(field)) {
                out.set(field, model.get(field));
            }
        }
        ObjectNode flavors = out.putObject("flavors");
        model.path("flavors").fields().forEachRemaining(f -> {
            JsonNode config = f.getValue();
            if (config.isObject()) {
                ObjectNode copy = ((ObjectNode) config).deepCopy();
                copy.remove("config");
                config = copy;
            }
            flavors.set(f.getKey(), config);
        });
        return out;
    }

    /** The list already in the tag; a value that is not a JSON list (set by hand) starts a new one. */
    private static ArrayNode previous(String value) {
        if (value != null) {
            try {
                JsonNode old = Json.MAPPER.readTree(value);
                if (old != null && old.isArray()) {
                    return (ArrayNode) old;
                }
            } catch (JsonProcessingException e) {
                // not JSON: start over
            }
        }
        return Json.MAPPER.createArrayNode();
    }

    /** Separators as Python's json.dumps writes them: {@code {"a": 1, "b": [1, 2]}}. */
    private static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
