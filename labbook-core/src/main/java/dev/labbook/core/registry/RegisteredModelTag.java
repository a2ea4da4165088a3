package dev.labbook.core.registry;

/** A tag of a registered model; setting it again overwrites it. */
public record RegisteredModelTag(String key, String value) {}
