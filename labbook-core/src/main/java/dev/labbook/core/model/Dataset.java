package dev.labbook.core.model;

/**
 * A dataset as MLflow describes it. Name and digest identify it within an experiment.
 *
 * @param sourceType e.g. {@code local}, {@code http}
 * @param source JSON text locating the data
 * @param schema optional JSON text
 * @param profile optional JSON text
 */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}
