package dev.labbook.server.registry;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelTag;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.server.http.Visibility;
import dev.labbook.store.ModelRegistryStore;
import dev.labbook.store.RegistryQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code registered-models/*}: create, get, rename, update, delete, search, tags, latest versions
 * and aliases.
 */
public final class RegisteredModelRoutes implements RouteGroup {
    /** MLflow's default and largest page of registered-models/search. */
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_RESULTS = 1000;

    private final ModelRegistryStore store;

    public RegisteredModelRoutes(ModelRegistryStore store) {
        this.store = store;
    }

    @Override
    public void register(Api api) {
        api.post("registered-models/create", this::create)
                .get("registered-models/get", req -> wrap(get(req.requiredString("name"))))
                .post("registered-models/rename", req -> wrap(store.renameRegisteredModel(
                        req.requiredString("name"), req.requiredString("new_name"))))
                .patch("registered-models/update", req -> wrap(store.updateRegisteredModel(
                        req.requiredString("name"), req.string("description"))))
                .delete("registered-models/delete", req -> {
                    store.deleteRegisteredModel(req.requiredString("name"));
                    return empty();
                })
                .get("registered-models/search", this::search)
                .post("registered-models/set-tag", req -> {
                    store.setRegisteredModelTag(req.requiredString("name"),
                            new RegisteredModelTag(req.requiredString("key"), ModelVersionRoutes.requiredValue(req)));
                    return empty();
                })
                .delete("registered-models/delete-tag", req -> {
                    store.deleteRegisteredModelTag(req.requiredString("name"), req.requiredString("key"));
                    return empty();
                })
                .post("registered-models/get-latest-versions", this::latestVersions)
                .get("registered-models/get-latest-versions", this::latestVersions)
                .post("registered-models/alias", req -> {
                    store.setRegisteredModelAlias(req.requiredString("name"), req.requiredString("alias"),
                            req.requiredString("version"));
                    return empty();
                })
                .delete("registered-models/alias", req -> {
                    store.deleteRegisteredModelAlias(req.requiredString("name"), req.requiredString("alias"));
                    return empty();
                })
                .get("registered-models/alias", this::getByAlias);
    }

    /**
     * Fields in MLflow's schema order (name, tags, description). An absent description is stored
     * as "" and sent back so, as MLflow stores protobuf's default.
     */
    private Object create(ApiRequest req) {
        String name = req.requiredString("name");
        List<RegisteredModelTag> tags = req.objects("tags", o -> new RegisteredModelTag(o.requiredString("key"), o.requiredString("value")));
        String description = req.string("description");
        return wrap(store.createRegisteredModel(name, description == null ? "" : description, tags));
    }

    private RegisteredModel get(String name) {
        return store.getRegisteredModel(name)
                .orElseThrow(() -> LabbookException.notFound("Registered Model with name=%s not found", name));
    }

    private static Map<String, Object> wrap(RegisteredModel model) {
        return Map.of("registered_model", model);
    }

    private Object search(ApiRequest req) {
        int max = req.intOr("max_results", DEFAULT_MAX_RESULTS);
        Validation.validateMaxResults(max, MAX_RESULTS);
        String filter = req.string("filter");
        List<String> orderBy = req.strings("order_by");
        Visibility visible = req.visibility();
        Page<RegisteredModel> page = Visibility.fill(max, req.string("page_token"),
                (n, token) -> store.searchRegisteredModels(new RegistryQuery(filter, n, orderBy, token)),
                m -> visible.all() || visible.registeredModel(m.name()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registered_models", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private Object latestVersions(ApiRequest req) {
        List<ModelStage> stages = req.strings("stages").stream().map(ModelStage::parse).toList();
        return Map.of("model_versions", store.getLatestVersions(req.requiredString("name"), stages));
    }

    private Object getByAlias(ApiRequest req) {
        String name = req.requiredString("name");
        String alias = req.requiredString("alias");
        return Map.of("model_version", store.getModelVersionByAlias(name, alias)
                .orElseThrow(() -> LabbookException.invalid("Registered model alias %s not found.", alias)));
    }
}
