package dev.labbook.core.model;

/** A hyperparameter of a run; write-once. */
public record Param(String key, String value) {}
