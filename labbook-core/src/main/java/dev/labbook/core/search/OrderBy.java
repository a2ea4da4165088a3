package dev.labbook.core.search;

/** One sort key of a search, e.g. {@code metrics.acc DESC}. */
public record OrderBy(KeyType type, String key, boolean ascending) {}
