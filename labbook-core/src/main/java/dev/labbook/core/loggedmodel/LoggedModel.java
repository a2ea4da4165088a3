package dev.labbook.core.loggedmodel;

/** MLflow 3's first-class model entity: a model logged to an experiment, usually by a run. */
public record LoggedModel(LoggedModelInfo info, LoggedModelData data) {}
