package dev.labbook.core.registry;

import java.util.List;

/**
 * One version of a registered model, as MLflow returns it.
 *
 * @param version the version number as a string ({@code "3"}); numbers start at 1 per model and
 *     are never reused, not even after a delete
 * @param userId who created the version; null when unknown (Labbook has no users yet)
 * @param source where the model's files are, as given at creation ({@code runs:/<run>/model},
 *     {@code mlflow-artifacts:/...}, ...)
 * @param runId the run that produced the model, or null
 * @param runLink a link to that run on another tracking server, or null
 * @param aliases the aliases of the model that point at this version, sorted
 * @param modelId the MLflow 3 logged model the version was registered from, or null
 */
public record ModelVersion(
        String name,
        String version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String userId,
        ModelStage currentStage,
        String description,
        String source,
        String runId,
        ModelVersionStatus status,
        String statusMessage,
        List<ModelVersionTag> tags,
        String runLink,
        List<String> aliases,
        String modelId) {

    public ModelVersion {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /** A version not registered from a logged model. */
    public ModelVersion(String name, String version, long creationTimestamp, long lastUpdatedTimestamp, String userId,
            ModelStage currentStage, String description, String source, String runId, ModelVersionStatus status,
            String statusMessage, List<ModelVersionTag> tags, String runLink, List<String> aliases) {
        this(name, version, creationTimestamp, lastUpdatedTimestamp, userId, currentStage, description, source, runId,
                status, statusMessage, tags, runLink, aliases, null);
    }
}
