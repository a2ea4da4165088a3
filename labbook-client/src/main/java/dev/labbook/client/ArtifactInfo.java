package dev.labbook.client;

/**
 * An entry of an artifact listing.
 *
 * @param path relative to the run's artifact root
 * @param fileSize null for directories
 */
public record ArtifactInfo(String path, boolean isDir, Long fileSize) {}
