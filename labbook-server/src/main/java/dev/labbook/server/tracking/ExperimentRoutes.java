package dev.labbook.server.tracking;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.validation.Limits;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.server.http.Visibility;
import dev.labbook.store.ExperimentQuery;
import dev.labbook.store.TrackingStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code experiments/*}: create, get, get-by-name, search, update, delete, restore, tags (set and delete). */
public final class ExperimentRoutes implements RouteGroup {
    private final TrackingStore store;

    public ExperimentRoutes(TrackingStore store) {
        this.store = store;
    }

    @Override
    public void register(Api api) {
        api.post("experiments/create", this::create)
                .get("experiments/get", req -> Map.of("experiment", get(req.requiredString("experiment_id"))))
                .get("experiments/get-by-name", this::getByName)
                .post("experiments/search", this::search)
                .get("experiments/search", this::search)
                .post("experiments/update", this::update)
                .post("experiments/delete", req -> {
                    store.deleteExperiment(req.requiredString("experiment_id"));
                    return empty();
                })
                .post("experiments/restore", req -> {
                    store.restoreExperiment(req.requiredString("experiment_id"));
                    return empty();
                })
                .post("experiments/set-experiment-tag", this::setTag)
                // MLflow 3's DeleteExperimentTag (MlflowClient.delete_experiment_tag)
                .post("experiments/delete-experiment-tag", req -> {
                    store.deleteExperimentTag(req.requiredString("experiment_id"), req.requiredString("key"));
                    return empty();
                });
    }

    /** MLflow's schema order: name, artifact_location, tags; then the values are checked. */
    private Object create(ApiRequest req) {
        String name = req.requiredString("name");
        String location = req.string("artifact_location");
        List<ExperimentTag> tags = req.objects("tags", Messages::experimentTag);
        Validation.validateExperimentName(name);
        for (ExperimentTag t : tags) {
            Validation.validateKey(t.key(), "tag");
        }
        return Map.of("experiment_id", store.createExperiment(name, ArtifactLocations.resolveIfLocal(location), tags));
    }

    private Experiment get(String id) {
        return store.getExperiment(id)
                .orElseThrow(() -> LabbookException.notFound("No Experiment with id=%s exists", id));
    }

    private Object getByName(ApiRequest req) {
        String name = req.requiredString("experiment_name");
        return Map.of("experiment", store.getExperimentByName(name)
                .orElseThrow(() -> LabbookException.notFound("Could not find experiment with name '%s'", name)));
    }

    private Object search(ApiRequest req) {
        int max = req.intOr("max_results", 1000);
        Validation.validateMaxResults(max, Limits.MAX_RESULTS_SEARCH_EXPERIMENTS);
        String filter = req.string("filter");
        ViewType view = req.enumOr("view_type", ViewType.class, ViewType.ACTIVE_ONLY);
        List<String> orderBy = req.strings("order_by");
        // with access control on, only readable experiments, pages still filled to max_results
        Visibility visible = req.visibility();
        var page = Visibility.fill(max, req.string("page_token"),
                (n, token) -> store.searchExperiments(new ExperimentQuery(filter, view, n, orderBy, token)),
                e -> visible.all() || visible.experiment(e.experimentId()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiments", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private Object update(ApiRequest req) {
        String id = req.requiredString("experiment_id");
        // MLflow's schema requires new_name (the only thing an update changes)
        String newName = req.requiredString("new_name");
        Validation.validateExperimentName(newName);
        store.renameExperiment(id, newName);
        return empty();
    }

    /** MLflow's schema order: experiment_id, key, value. */
    private Object setTag(ApiRequest req) {
        String experimentId = req.requiredString("experiment_id");
        ExperimentTag tag = new ExperimentTag(req.requiredString("key"), req.string("value") == null ? "" : req.string("value"));
        Validation.validateKey(tag.key(), "tag");
        Validation.validateRunTag(new dev.labbook.core.model.RunTag(tag.key(), tag.value()));
        store.setExperimentTag(experimentId, tag);
        return empty();
    }
}
