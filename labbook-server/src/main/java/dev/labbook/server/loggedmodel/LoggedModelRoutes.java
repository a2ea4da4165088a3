package dev.labbook.server.loggedmodel;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.JsonObject;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.LoggedModelQuery;
import dev.labbook.store.LoggedModelStore;
import dev.labbook.store.NewLoggedModel;
import dev.labbook.store.artifact.ArtifactStore;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code logged-models/*} (MLflow 3's LoggedModel: create, get, finalize, delete, search, tags,
 * params, artifact listing and download) and {@code runs/outputs}, which links runs to the
 * models they produced.
 */
public final class LoggedModelRoutes implements RouteGroup {
    /** MLflow's default page of logged-models/search. */
    static final int DEFAULT_MAX_RESULTS = 50;
    static final int MAX_RESULTS = 1000;
    /** What MLflow refuses in a logged model's name. */
    private static final String BAD_NAME_CHARS = "/:.%\"'";

    private final LoggedModelStore store;
    private final ModelArtifacts artifacts;

    public LoggedModelRoutes(LoggedModelStore store, ArtifactStore artifactStore) {
        this.store = store;
        this.artifacts = new ModelArtifacts(artifactStore);
    }

    @Override
    public void register(Api api) {
        api.post("logged-models", this::create)
                .post("logged-models/search", this::search)
                .get("logged-models/{model_id}", req -> wrap(model(modelId(req))))
                .patch("logged-models/{model_id}", req -> wrap(store.finalizeLoggedModel(modelId(req),
                        LoggedModelStatus.parse(req.requiredString("status")))))
                .delete("logged-models/{model_id}", req -> {
                    store.deleteLoggedModel(modelId(req));
                    return empty();
                })
                .patch("logged-models/{model_id}/tags", req -> {
                    store.setLoggedModelTags(modelId(req), tags(req));
                    return empty(); // as MLflow answers, though the message may carry the model
                })
                .delete("logged-models/{model_id}/tags/{tag_key}", req -> {
                    store.deleteLoggedModelTag(modelId(req), req.pathParam("tag_key"));
                    return empty();
                })
                .post("logged-models/{model_id}/params", req -> {
                    store.logLoggedModelParams(modelId(req), params(req));
                    return empty();
                })
                .get("logged-models/{model_id}/artifacts/directories", req -> {
                    LoggedModel m = model(modelId(req));
                    return artifacts.list(m.info().artifactUri(), req.string("artifact_directory_path"));
                })
                .post("runs/outputs", req -> {
                    store.logOutputs(req.requiredString("run_id"), req.objects("models", LoggedModelRoutes::output));
                    return empty();
                });
    }

    /**
     * The download route, which streams a file rather than answering JSON, so it is declared on
     * Javalin directly, under both API prefixes.
     */
    public void registerDownloads(RoutesConfig routes) {
        for (String prefix : Api.PREFIXES) {
            routes.get(prefix + "logged-models/{model_id}/artifacts/files", ctx -> {
                ApiRequest req = ApiRequest.of(ctx);
                String path = req.string("artifact_file_path");
                if (path == null || path.isEmpty()) {
                    throw new LabbookException(ErrorCode.BAD_REQUEST,
                            "Request must include the \"artifact_file_path\" query parameter.");
                }
                artifacts.send(ctx, model(modelId(req)).info().artifactUri(), path);
            });
        }
    }

    private LoggedModel model(String modelId) {
        return store.getLoggedModel(modelId)
                .orElseThrow(() -> LabbookException.notFound("Logged model with ID '%s' not found.", modelId));
    }

    private Object create(ApiRequest req) {
        String name = req.string("name");
        if (name != null && !name.isEmpty() && name.chars().anyMatch(c -> BAD_NAME_CHARS.indexOf(c) >= 0)) {
            throw LabbookException.invalid("Invalid model name ('%s') provided. Model name must be a non-empty string "
                    + "and cannot contain the following characters: / : . %% \" '", name);
        }
        return wrap(store.createLoggedModel(new NewLoggedModel(req.requiredString("experiment_id"), name,
                emptyToNull(req.string("model_type")), emptyToNull(req.string("source_run_id")), params(req), tags(req))));
    }

    private Object search(ApiRequest req) {
        if (!req.has("experiment_ids")) {
            throw ApiRequest.missing("experiment_ids");
        }
        int max = req.intOr("max_results", DEFAULT_MAX_RESULTS);
        Validation.validateMaxResults(max, MAX_RESULTS);
        Page<LoggedModel> page = store.searchLoggedModels(new LoggedModelQuery(req.strings("experiment_ids"),
                emptyToNull(req.string("filter")),
                req.objects("datasets", o -> new LoggedModelQuery.DatasetFilter(o.string("dataset_name"),
                        emptyToNull(o.string("dataset_digest")))),
                max, req.objects("order_by", LoggedModelRoutes::order), emptyToNull(req.string("page_token"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private static LoggedModelQuery.Order order(JsonObject o) {
        Boolean ascending = o.optBool("ascending");
        String field = o.string("field_name");
        if (field == null || field.isEmpty()) {
            throw LabbookException.invalid("`field_name` in the `order_by` clause must be specified.");
        }
        return new LoggedModelQuery.Order(field, ascending == null || ascending, emptyToNull(o.string("dataset_name")),
                emptyToNull(o.string("dataset_digest")));
    }

    private static ModelOutput output(JsonObject o) {
        Long step = o.optLong("step");
        if (step == null) {
            throw ApiRequest.missing("models.step");
        }
        return new ModelOutput(o.requiredString("model_id"), step);
    }

    private static List<LoggedModelTag> tags(ApiRequest req) {
        List<LoggedModelTag> tags = req.objects("tags", o -> new LoggedModelTag(o.requiredString("key"), o.requiredString("value")));
        tags.forEach(t -> Validation.validateRunTag(new RunTag(t.key(), t.value())));
        return tags;
    }

    private static List<LoggedModelParameter> params(ApiRequest req) {
        List<LoggedModelParameter> params = req.objects("params",
                o -> new LoggedModelParameter(o.requiredString("key"), o.requiredString("value")));
        params.forEach(p -> Validation.validateParam(new Param(p.key(), p.value())));
        return params;
    }

    /** The model id of the path; clients repeat it in the body. */
    private static String modelId(ApiRequest req) {
        return req.pathParam("model_id");
    }

    private static Map<String, Object> wrap(LoggedModel model) {
        return Map.of("model", model);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
