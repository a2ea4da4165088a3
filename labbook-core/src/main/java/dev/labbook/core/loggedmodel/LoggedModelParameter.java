package dev.labbook.core.loggedmodel;

/** An immutable key-value pair of a logged model (its hyperparameters, say). */
public record LoggedModelParameter(String key, String value) {}
