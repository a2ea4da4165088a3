package dev.labbook.server.tracking;

/**
 * Told what the logging endpoints (log-batch, log-metric, log-parameter, set-tag) stored, after
 * the store accepted it: the server's ingestion-rate metrics listen here.
 */
@FunctionalInterface
public interface IngestionListener {
    /** Listens to nothing. */
    IngestionListener NONE = (metrics, params, tags) -> {};

    /** One request's worth of metric points, params and tags was stored. */
    void accepted(int metrics, int params, int tags);
}
