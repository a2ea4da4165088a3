package dev.labbook.store;

import java.util.List;

/**
 * A search over registered models or model versions, as MLflow's search requests state it.
 *
 * @param filter MLflow filter string such as {@code name LIKE 'imdb-%'}, may be null
 * @param maxResults page size
 * @param orderBy order-by clauses such as {@code last_updated_timestamp DESC}
 * @param pageToken opaque token from a previous page, may be null
 */
public record RegistryQuery(String filter, int maxResults, List<String> orderBy, String pageToken) {
    public RegistryQuery {
        orderBy = List.copyOf(orderBy);
    }
}
