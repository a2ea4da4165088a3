package dev.labbook.store;

import java.util.List;

/**
 * A logged-models/search request.
 *
 * @param filter MLflow's logged-model filter ({@code metrics.acc > 0.9 AND params.lr = '0.1'}), or null
 * @param datasets the datasets metric clauses (and, without any, the models) are restricted to
 * @param orderBy sort keys, applied before the default order (creation time, newest first, then model id)
 * @param pageToken from the previous page, or null
 */
public record LoggedModelQuery(
        List<String> experimentIds,
        String filter,
        List<DatasetFilter> datasets,
        int maxResults,
        List<Order> orderBy,
        String pageToken) {

    public LoggedModelQuery {
        experimentIds = List.copyOf(experimentIds);
        datasets = List.copyOf(datasets);
        orderBy = List.copyOf(orderBy);
    }

    /** A dataset by name, and by digest too when the digest is not null. */
    public record DatasetFilter(String datasetName, String datasetDigest) {}

    /**
     * One sort key: an attribute ({@code creation_timestamp}) or a metric ({@code metrics.acc},
     * by its latest value, restricted to a dataset when one is named).
     */
    public record Order(String fieldName, boolean ascending, String datasetName, String datasetDigest) {}
}
