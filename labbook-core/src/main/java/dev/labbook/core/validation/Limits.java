package dev.labbook.core.validation;

/**
 * The request limits of MLflow's tracking API, kept identical so that a client tuned for MLflow
 * (batch sizes, page sizes) works unchanged against Labbook.
 */
public final class Limits {
    private Limits() {}

    /** Metrics in one log-batch request. */
    public static final int MAX_METRICS_PER_BATCH = 1000;
    /** Params in one log-batch request. */
    public static final int MAX_PARAMS_PER_BATCH = 100;
    /** Tags in one log-batch request. */
    public static final int MAX_TAGS_PER_BATCH = 100;
    /** Metrics, params and tags together in one log-batch request. */
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    /**
     * Body of one log-batch request, in bytes (1 MiB). MLflow itself uses 10^6; the few
     * extra bytes allowed here cannot break a client written against MLflow.
     */
    public static final int MAX_REQUEST_BYTES = 1_048_576;

    /** Metric, param and tag keys, in characters. */
    public static final int MAX_KEY_LENGTH = 250;
    /** Param values, in characters. */
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Run tag values, in characters. */
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    /** Experiment tag values, in characters. */
    public static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    /** Experiment names, in characters. */
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

    /** {@code max_results} of a search when the request does not say. */
    public static final int DEFAULT_SEARCH_MAX_RESULTS = 1000;
    /** Largest {@code max_results} of runs/search. */
    public static final int MAX_RESULTS_SEARCH_RUNS = 50_000;
    /** Largest {@code max_results} of experiments/search. */
    public static final int MAX_RESULTS_SEARCH_EXPERIMENTS = 50_000;
    /** Largest page of metrics/get-history. */
    public static final int MAX_HISTORY_PAGE = 25_000;
    /** Largest {@code max_results} (points per run) of get-history-bulk-interval; also its default. */
    public static final int MAX_BULK_INTERVAL_RESULTS = 2500;
    /** Most run ids in one get-history-bulk-interval request. */
    public static final int MAX_BULK_INTERVAL_RUNS = 100;
}
