package dev.labbook.store;

import dev.labbook.core.model.ViewType;
import java.util.List;

/** A search over experiments, as MLflow's search-experiments request states it. */
public record ExperimentQuery(String filter, ViewType viewType, int maxResults, List<String> orderBy, String pageToken) {
    public ExperimentQuery {
        orderBy = List.copyOf(orderBy);
    }
}
