package dev.labbook.core.registry;

import java.util.List;

/**
 * A registered model: a named series of model versions, as MLflow returns it.
 *
 * @param userId who created the model; null when unknown (MLflow does not return it either)
 * @param latestVersions per stage, the highest version in it (in stage order None, Staging,
 *     Production, Archived; stages without versions are absent)
 * @param aliases the model's aliases, sorted by alias
 */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String userId,
        String description,
        List<ModelVersion> latestVersions,
        List<RegisteredModelTag> tags,
        List<RegisteredModelAlias> aliases) {

    public RegisteredModel {
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
