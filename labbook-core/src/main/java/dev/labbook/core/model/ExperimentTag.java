package dev.labbook.core.model;

/** A tag of an experiment. */
public record ExperimentTag(String key, String value) {}
