package dev.labbook.store;

import dev.labbook.core.registry.ModelVersionTag;
import java.util.List;

/**
 * What a client gives to register a new model version.
 *
 * @param name the registered model, which must exist
 * @param source where the model's files are, e.g. {@code runs:/<run_id>/model}; required
 * @param runId the run that produced the model, may be null
 * @param runLink a link to the run on another tracking server, may be null
 * @param description may be null
 * @param userId may be null
 * @param modelId the MLflow 3 logged model the version is registered from, may be null
 */
public record NewModelVersion(
        String name,
        String source,
        String runId,
        String runLink,
        String description,
        String userId,
        List<ModelVersionTag> tags,
        String modelId) {

    public NewModelVersion {
        tags = List.copyOf(tags);
    }

    /** A version not registered from a logged model. */
    public NewModelVersion(String name, String source, String runId, String runLink, String description, String userId,
            List<ModelVersionTag> tags) {
        this(name, source, runId, runLink, description, userId, tags, null);
    }
}
