package dev.labbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.internal.Http;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model registry part of the MLflow REST API ({@code registered-models/*},
 * {@code model-versions/*}), from {@link TrackingClient#registry()}: one method per endpoint, core
 * records in and out, with the HTTP methods MLflow's own clients use (GET to read, PATCH to update,
 * DELETE to delete). Failures are {@link dev.labbook.core.LabbookException}s carrying the server's
 * error code, e.g. RESOURCE_DOES_NOT_EXIST for an unknown model. Thread-safe.
 */
public final class ModelRegistryClient {
    private final Http http;

    ModelRegistryClient(Http http) {
        this.http = http;
    }

    // --- registered models

    /** Creates an empty registered model. */
    public RegisteredModel createRegisteredModel(String name) {
        return createRegisteredModel(name, null, List.of());
    }

    /** Creates a registered model with a description (may be null) and tags. */
    public RegisteredModel createRegisteredModel(String name, String description, List<RegisteredModelTag> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", description);
        body.put("tags", tags);
        return model(http.post("registered-models/create", body));
    }

    /** The model with its latest version per stage, tags and aliases. */
    public RegisteredModel getRegisteredModel(String name) {
        return model(http.get("registered-models/get", fields("name", name)));
    }

    /** Renames a model; its versions follow it. Returns the model under its new name. */
    public RegisteredModel renameRegisteredModel(String name, String newName) {
        return model(http.post("registered-models/rename", fields("name", name, "new_name", newName)));
    }

    /** Sets the description of a model. */
    public RegisteredModel updateRegisteredModel(String name, String description) {
        return model(http.send("PATCH", "registered-models/update", fields("name", name, "description", description)));
    }

    /** Deletes a model with all its versions. */
    public void deleteRegisteredModel(String name) {
        http.send("DELETE", "registered-models/delete", fields("name", name));
    }

    /**
     * One page of the models matching {@code filter} (MLflow's grammar, e.g. {@code name LIKE 'imdb%'};
     * null for all), in {@code orderBy} order (e.g. {@code name DESC}); follow the page token for more.
     */
    public Page<RegisteredModel> searchRegisteredModels(String filter, int maxResults, List<String> orderBy, String pageToken) {
        return TrackingClient.page(http.get("registered-models/search", search(filter, maxResults, orderBy, pageToken)),
                "registered_models", RegisteredModel.class);
    }

    /** Sets a tag of a model; setting it again overwrites it. */
    public void setRegisteredModelTag(String name, String key, String value) {
        http.post("registered-models/set-tag", fields("name", name, "key", key, "value", value));
    }

    /** Removes a tag of a model. */
    public void deleteRegisteredModelTag(String name, String key) {
        http.send("DELETE", "registered-models/delete-tag", fields("name", name, "key", key));
    }

    /** Per stage, the highest version in it: of the given stages, or of every stage when {@code stages} is empty. */
    public List<ModelVersion> getLatestVersions(String name, List<ModelStage> stages) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("stages", stages.stream().map(ModelStage::toString).toList());
        return versions(http.post("registered-models/get-latest-versions", body));
    }

    /** Points {@code alias} (e.g. {@code champion}) at a version; an alias already set moves. */
    public void setRegisteredModelAlias(String name, String alias, String version) {
        http.post("registered-models/alias", fields("name", name, "alias", alias, "version", version));
    }

    /** Removes an alias; the version it pointed at stays. */
    public void deleteRegisteredModelAlias(String name, String alias) {
        http.send("DELETE", "registered-models/alias", fields("name", name, "alias", alias));
    }

    /** The version an alias points at. */
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        return version(http.get("registered-models/alias", fields("name", name, "alias", alias)));
    }

    // --- model versions

    /** Registers {@code source} (e.g. {@code runs:/<run_id>/model}) as a new version of {@code name}; {@code runId} may be null. */
    public ModelVersion createModelVersion(String name, String source, String runId) {
        return createModelVersion(name, source, runId, null, null, List.of());
    }

    /**
     * Registers a new version of {@code name}.
     *
     * @param runId the run that produced the model, or null
     * @param runLink a link to that run on another tracking server, or null
     * @param description may be null
     */
    public ModelVersion createModelVersion(String name, String source, String runId, String runLink, String description,
            List<ModelVersionTag> tags) {
        return createModelVersion(name, source, runId, runLink, description, tags, null);
    }

    /**
     * Registers a new version of {@code name} from MLflow 3's logged model {@code modelId} (may be
     * null), which the version then links to.
     */
    public ModelVersion createModelVersion(String name, String source, String runId, String runLink, String description,
            List<ModelVersionTag> tags, String modelId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("source", source);
        body.put("run_id", runId);
        body.put("run_link", runLink);
        body.put("description", description);
        body.put("tags", tags);
        body.put("model_id", modelId);
        return version(http.post("model-versions/create", body));
    }

    /** One version of a model, by its number as a string ({@code "3"}). */
    public ModelVersion getModelVersion(String name, String version) {
        return version(http.get("model-versions/get", fields("name", name, "version", version)));
    }

    /** Sets the description of a version. */
    public ModelVersion updateModelVersion(String name, String version, String description) {
        return version(http.send("PATCH", "model-versions/update",
                fields("name", name, "version", version, "description", description)));
    }

    /** Deletes a version; its number is never given again. */
    public void deleteModelVersion(String name, String version) {
        http.send("DELETE", "model-versions/delete", fields("name", name, "version", version));
    }

    /** One page of the versions matching {@code filter} (e.g. {@code name = 'imdb'}, {@code run_id = '...'}; null for all). */
    public Page<ModelVersion> searchModelVersions(String filter, int maxResults, List<String> orderBy, String pageToken) {
        return TrackingClient.page(http.get("model-versions/search", search(filter, maxResults, orderBy, pageToken)),
                "model_versions", ModelVersion.class);
    }

    /** Where the files of a version can be downloaded from (its source, resolved to an artifact URI). */
    public String getModelVersionDownloadUri(String name, String version) {
        return http.get("model-versions/get-download-uri", fields("name", name, "version", version)).path("artifact_uri").asText();
    }

    /** Sets a tag of a version; setting it again overwrites it. */
    public void setModelVersionTag(String name, String version, String key, String value) {
        http.post("model-versions/set-tag", fields("name", name, "version", version, "key", key, "value", value));
    }

    /** Removes a tag of a version. */
    public void deleteModelVersionTag(String name, String version, String key) {
        http.send("DELETE", "model-versions/delete-tag", fields("name", name, "version", version, "key", key));
    }

    /**
     * Moves a version to {@code stage}; with {@code archiveExistingVersions}, the other versions in
     * that stage (Staging or Production) move to Archived.
     */
    public ModelVersion transitionModelVersionStage(String name, String version, ModelStage stage, boolean archiveExistingVersions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("version", version);
        body.put("stage", stage.toString());
        body.put("archive_existing_versions", archiveExistingVersions);
        return version(http.post("model-versions/transition-stage", body));
    }

    // ---

    /** A request's fields from name/value pairs; null values are left out, as for an unset protobuf field. */
    private static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    private static Map<String, Object> search(String filter, int maxResults, List<String> orderBy, String pageToken) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("filter", filter);
        q.put("max_results", maxResults);
        q.put("order_by", orderBy);
        q.put("page_token", pageToken);
        return q;
    }

    private static RegisteredModel model(JsonNode answer) {
        return TrackingClient.read(answer.get("registered_model"), RegisteredModel.class);
    }

    private static ModelVersion version(JsonNode answer) {
        return TrackingClient.read(answer.get("model_version"), ModelVersion.class);
    }

    private static List<ModelVersion> versions(JsonNode answer) {
        List<ModelVersion> out = new ArrayList<>();
        answer.path("model_versions").forEach(v -> out.add(TrackingClient.read(v, ModelVersion.class)));
        return out;
    }
}
