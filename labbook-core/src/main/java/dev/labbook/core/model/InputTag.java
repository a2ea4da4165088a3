package dev.labbook.core.model;

/** A tag on a dataset input, such as {@code mlflow.data.context = train}. */
public record InputTag(String key, String value) {}
