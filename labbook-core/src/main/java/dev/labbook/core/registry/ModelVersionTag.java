package dev.labbook.core.registry;

/** A tag of one model version; setting it again overwrites it. */
public record ModelVersionTag(String key, String value) {}
