package dev.labbook.store;

import dev.labbook.core.model.ViewType;
import java.util.List;

/**
 * A search over runs, exactly as MLflow's search-runs request states it.
 *
 * @param filter MLflow filter string, may be null
 * @param orderBy order-by clauses such as {@code metrics.acc DESC}
 * @param pageToken opaque token from a previous page, may be null
 */
public record RunQuery(
        List<String> experimentIds,
        String filter,
        ViewType viewType,
        int maxResults,
        List<String> orderBy,
        String pageToken) {

    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        orderBy = List.copyOf(orderBy);
    }
}
