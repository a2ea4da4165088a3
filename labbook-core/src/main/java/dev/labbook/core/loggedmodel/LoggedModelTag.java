package dev.labbook.core.loggedmodel;

/** A mutable key-value pair on a logged model. */
public record LoggedModelTag(String key, String value) {}
