package dev.labbook.serving;

import dev.labbook.client.ModelRegistryClient;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Run;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.VersionTags;
import java.util.List;

/**
 * Registers a run's model as a new version, as {@code mlflow models register} / {@code
 * mlflow.register_model} do: the registered model is created when missing, the version's
 * source is {@code runs:/RUN_ID/PATH}, and the run's scores (test and validation metrics) become
 * tags of the version so the registry shows what each version scored.
 */
public final class Registration {
    private Registration() {}

    /** Registers {@code runs:/runId/artifactPath} under {@code name}; returns the new version. */
    public static ModelVersion register(TrackingClient client, String runId, String artifactPath, String name) {
        return register(client, runId, artifactPath, name, null);
    }

    /**
     * The same, from MLflow 3's logged model {@code modelId} (the run's copy of the model) when it
     * is not null: the version's source is then {@code models:/m-...} and it links to the model.
     */
    public static ModelVersion register(TrackingClient client, String runId, String artifactPath, String name, String modelId) {
        Run run = client.getRun(runId);
        String path = artifactPath == null || artifactPath.isBlank() ? "model" : artifactPath.replaceAll("^/+|/+$", "");
        if (client.listArtifacts(runId, path).stream().noneMatch(f -> f.path().endsWith("MLmodel"))) {
            throw LabbookException.notFound("Run %s has no model at '%s' (no %s/MLmodel); pass --artifact-path", runId, path, path);
        }
        ModelRegistryClient registry = client.registry();
        try {
            registry.createRegisteredModel(name);
        } catch (LabbookException e) {
            if (e.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
        }
        List<ModelVersionTag> tags = VersionTags.fromMetrics(run.data().metrics());
        String source = modelId != null ? "models:/" + modelId : "runs:/" + runId + "/" + path;
        return registry.createModelVersion(name, source, runId, null, null, tags, modelId);
    }
}
