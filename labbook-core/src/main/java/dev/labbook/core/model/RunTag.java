package dev.labbook.core.model;

/** A tag of a run; setting it again overwrites it. */
public record RunTag(String key, String value) {}
