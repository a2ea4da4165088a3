package dev.labbook.core.registry;

/**
 * A named pointer ({@code champion}) from a registered model to one of its versions.
 *
 * @param version the version number, as a string like everywhere on MLflow's wire
 */
public record RegisteredModelAlias(String alias, String version) {}
