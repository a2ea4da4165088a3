package dev.labbook.server.registry;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.LoggedModelStore;
import dev.labbook.store.ModelRegistryStore;
import dev.labbook.store.NewModelVersion;
import dev.labbook.store.RegistryQuery;
import dev.labbook.store.TrackingStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code model-versions/*}: create, get, update, delete, search, download URI, tags and stage
 * transitions.
 */
public final class ModelVersionRoutes implements RouteGroup {
    /**
     * Default page of model-versions/search. MLflow's protocol allows up to 200,000 and lets
     * servers pick a lower default; clients that want everything follow the page token.
     */
    static final int DEFAULT_MAX_RESULTS = 10_000;
    static final int MAX_RESULTS = 200_000;

    private final ModelRegistryStore store;
    /** The artifact URI of a run, for the local-source check of create; empty for an unknown run. */
    private final Function<String, Optional<String>> runArtifactUri;
    /** Where versions made from a logged model are recorded on it; null without logged models. */
    private final LoggedModelStore loggedModels;

    /** Routes over {@code store} that know no runs (a local source is then always refused). */
    public ModelVersionRoutes(ModelRegistryStore store) {
        this(store, runId -> Optional.empty(), null);
    }

    /**
     * Routes over {@code store}, looking runs up in {@code tracking} and recording versions made
     * from a logged model in its {@code mlflow.modelVersions} tag, as MLflow 3's server does.
     */
    public ModelVersionRoutes(ModelRegistryStore store, TrackingStore tracking, LoggedModelStore loggedModels) {
        this(store, runId -> tracking.getRun(runId).map(r -> r.info().artifactUri()), loggedModels);
    }

    private ModelVersionRoutes(ModelRegistryStore store, Function<String, Optional<String>> runArtifactUri,
            LoggedModelStore loggedModels) {
        this.store = store;
        this.runArtifactUri = runArtifactUri;
        this.loggedModels = loggedModels;
    }

    @Override
    public void register(Api api) {
        api.post("model-versions/create", this::create)
                .get("model-versions/get", req -> wrap(store.getModelVersion(req.requiredString("name"), req.requiredString("version"))
                        .orElseThrow(() -> LabbookException.notFound("Model Version (name=%s, version=%s) not found",
                                req.requiredString("name"), req.requiredString("version")))))
                .patch("model-versions/update", req -> wrap(store.updateModelVersion(
                        req.requiredString("name"), req.requiredString("version"), req.string("description"))))
                .delete("model-versions/delete", req -> {
                    store.deleteModelVersion(req.requiredString("name"), req.requiredString("version"));
                    return empty();
                })
                .get("model-versions/search", this::search)
                .get("model-versions/get-download-uri", req -> Map.of("artifact_uri",
                        store.getModelVersionDownloadUri(req.requiredString("name"), req.requiredString("version"))))
                .post("model-versions/set-tag", req -> {
                    store.setModelVersionTag(req.requiredString("name"), req.requiredString("version"),
                            new ModelVersionTag(req.requiredString("key"), requiredValue(req)));
                    return empty();
                })
                .delete("model-versions/delete-tag", req -> {
                    store.deleteModelVersionTag(req.requiredString("name"), req.requiredString("version"), req.requiredString("key"));
                    return empty();
                })
                .post("model-versions/transition-stage", req -> wrap(store.transitionModelVersionStage(
                        req.requiredString("name"), req.requiredString("version"),
                        ModelStage.parse(req.requiredString("stage")),
                        req.boolOr("archive_existing_versions", false))));
    }

    private Object create(ApiRequest req) {
        String name = req.requiredString("name");
        String source = req.requiredString("source");
        String runId = emptyToNull(req.string("run_id"));
        List<ModelVersionTag> tags = req.objects("tags", o -> new ModelVersionTag(o.requiredString("key"), o.requiredString("value")));
        boolean prompt = tags.stream().anyMatch(t -> t.key().equals(ModelVersionSources.IS_PROMPT));
        ModelVersionSources.check(source, runId, emptyToNull(req.string("model_id")), prompt, runArtifactUri);
        // MLflow stores the request's description, which protobuf reads as "" when absent, and sends "" back
        String description = req.string("description");
        String modelId = modelId(req);
        ModelVersion created = store.createModelVersion(new NewModelVersion(
                name, source, runId, emptyToNull(req.string("run_link")), description == null ? "" : description, null, tags,
                modelId));
        if (modelId != null && !prompt && loggedModels != null) {
            recordOnLoggedModel(modelId, created);
        }
        return wrap(created);
    }

    /**
     * Adds the new version to the logged model's {@code mlflow.modelVersions} tag (a deleted or
     * unknown model has none), read and written in one store transaction so that versions
     * registered at once through several replicas all end up in it.
     */
    private void recordOnLoggedModel(String modelId, ModelVersion v) {
        loggedModels.updateLoggedModelTag(modelId, ModelVersionsTag.KEY,
                existing -> ModelVersionsTag.append(existing, v.name(), Long.parseLong(v.version())));
    }

    private Object search(ApiRequest req) {
        int max = req.intOr("max_results", DEFAULT_MAX_RESULTS);
        Validation.validateMaxResults(max, MAX_RESULTS);
        Page<ModelVersion> page = store.searchModelVersions(
                new RegistryQuery(req.string("filter"), max, req.strings("order_by"), req.string("page_token")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_versions", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private static Map<String, Object> wrap(ModelVersion version) {
        return Map.of("model_version", version);
    }

    /**
     * The logged model (MLflow 3) a version is registered from: {@code model_id}, or the id in a
     * {@code models:/m-<id>} source, as MLflow 3 clients register logged models.
     */
    private static String modelId(ApiRequest req) {
        String id = emptyToNull(req.string("model_id"));
        String source = req.string("source");
        if (id == null && source != null && source.startsWith("models:/m-")) {
            String rest = source.substring("models:/".length());
            int slash = rest.indexOf('/');
            id = slash < 0 ? rest : rest.substring(0, slash);
        }
        return id;
    }

    /** Protobuf clients send an unset optional string as "", which means "no run" here. */
    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A tag value that must be present, though it may be empty. */
    static String requiredValue(ApiRequest req) {
        String v = req.string("value");
        if (v == null) {
            throw LabbookException.invalid("Missing value for required parameter 'value'.");
        }
        return v;
    }
}
