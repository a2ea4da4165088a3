package dev.labbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.internal.Http;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow 3's logged models ({@code logged-models/*}, {@code runs/outputs}), from
 * {@link TrackingClient#loggedModels()}: one method per endpoint, core records in and out, with
 * the HTTP methods MLflow's Python client uses. Works against Labbook and MLflow 3 servers.
 * Failures are {@link dev.labbook.core.LabbookException}s with the server's error code. Thread-safe.
 */
public final class LoggedModelClient {
    private final Http http;

    LoggedModelClient(Http http) {
        this.http = http;
    }

    /**
     * Creates a logged model in PENDING status; upload its files to its {@code artifact_uri}, then
     * {@link #finalizeLoggedModel finalize} it.
     *
     * @param name may be null (the server generates one)
     * @param modelType may be null
     * @param sourceRunId the run that produced the model, or null
     */
    public LoggedModel createLoggedModel(String experimentId, String name, String modelType, String sourceRunId,
            List<LoggedModelParameter> params, List<LoggedModelTag> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        body.put("name", name);
        body.put("model_type", modelType);
        body.put("source_run_id", sourceRunId);
        body.put("params", params);
        body.put("tags", tags);
        return model(http.post("logged-models", body));
    }

    /** The logged model {@code m-...}. */
    public LoggedModel getLoggedModel(String modelId) {
        return model(http.get("logged-models/" + modelId, Map.of()));
    }

    /** Sets the model's status once its files are uploaded (READY) or failed to (UPLOAD_FAILED). */
    public LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status) {
        return model(http.send("PATCH", "logged-models/" + modelId, Map.of("model_id", modelId, "status", status.name())));
    }

    /** Soft-deletes the model. */
    public void deleteLoggedModel(String modelId) {
        http.send("DELETE", "logged-models/" + modelId, Map.of("model_id", modelId));
    }

    /** Sets tags on the model (last one wins). */
    public void setLoggedModelTags(String modelId, List<LoggedModelTag> tags) {
        http.send("PATCH", "logged-models/" + modelId + "/tags", Map.of("model_id", modelId, "tags", tags));
    }

    /** Logs params of the model; params are write-once. */
    public void logLoggedModelParams(String modelId, List<LoggedModelParameter> params) {
        http.post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", params));
    }

    /**
     * One page of the models of {@code experimentIds} that match {@code filter} (MLflow's grammar
     * for logged models, may be null), newest first.
     */
    public Page<LoggedModel> searchLoggedModels(List<String> experimentIds, String filter, int maxResults, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_ids", experimentIds);
        body.put("filter", filter);
        body.put("max_results", maxResults);
        body.put("page_token", pageToken);
        JsonNode answer = http.post("logged-models/search", body);
        List<LoggedModel> out = new ArrayList<>();
        answer.path("models").forEach(m -> out.add(TrackingClient.read(m, LoggedModel.class)));
        String token = answer.path("next_page_token").asText(null);
        return new Page<>(out, token == null || token.isEmpty() ? null : token);
    }

    /** Records models as outputs of a run (MLflow 3's LogOutputs). */
    public void logOutputs(String runId, List<ModelOutput> models) {
        http.post("runs/outputs", Map.of("run_id", runId, "models", models));
    }

    private static LoggedModel model(JsonNode answer) {
        return TrackingClient.read(answer.get("model"), LoggedModel.class);
    }
}
