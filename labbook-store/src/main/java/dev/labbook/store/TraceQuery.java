package dev.labbook.store;

import java.util.List;

/**
 * A search over traces, as MLflow's search-traces request states it.
 *
 * @param experimentIds the experiments to search
 * @param filter MLflow's trace filter ({@code trace.status = 'OK' AND tags.topic = 'x'}); may be null
 * @param orderBy order-by clauses such as {@code timestamp_ms DESC}
 * @param maxResults the most traces one page holds
 * @param pageToken opaque token from a previous page, may be null
 */
public record TraceQuery(
        List<String> experimentIds,
        String filter,
        List<String> orderBy,
        int maxResults,
        String pageToken) {

    public TraceQuery {
        experimentIds = List.copyOf(experimentIds);
        orderBy = List.copyOf(orderBy);
    }
}
