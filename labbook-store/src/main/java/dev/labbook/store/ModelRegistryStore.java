package dev.labbook.store;

import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelTag;
import java.util.List;
import java.util.Optional;

/**
 * The model registry: registered models, their numbered versions, tags, stages and aliases.
 *
 * <p>Lookups ({@code get...}) return {@link Optional#empty()} when the model, version or alias
 * does not exist; every other method fails with RESOURCE_DOES_NOT_EXIST instead. Bad input
 * (empty names, non-integer versions, reserved aliases) fails with INVALID_PARAMETER_VALUE. Every
 * returned model carries its tags, aliases and latest versions, and every returned version its
 * tags and aliases. Versions are identified by the model name and the version number written as a
 * string, as on MLflow's wire.
 */
public interface ModelRegistryStore extends AutoCloseable {

    /**
     * Creates a registered model without versions.
     *
     * @throws dev.labbook.core.LabbookException RESOURCE_ALREADY_EXISTS when the name is taken
     */
    RegisteredModel createRegisteredModel(String name, String description, List<RegisteredModelTag> tags);

    /** The registered model called {@code name}. */
    Optional<RegisteredModel> getRegisteredModel(String name);

    /**
     * Renames a registered model; its versions, tags and aliases follow it.
     *
     * @throws dev.labbook.core.LabbookException RESOURCE_ALREADY_EXISTS when another model has {@code newName}
     */
    RegisteredModel renameRegisteredModel(String name, String newName);

    /** Replaces the description of a registered model (null clears it). */
    RegisteredModel updateRegisteredModel(String name, String description);

    /** Deletes a registered model with all its versions, tags and aliases; there is no restore. */
    void deleteRegisteredModel(String name);

    /**
     * Searches registered models. The filter accepts {@code name} ({@code = != LIKE ILIKE}) and
     * {@code tags.<key>}; order by {@code name}, {@code creation_timestamp} or
     * {@code last_updated_timestamp}, ties broken by name ascending (also the default order).
     */
    Page<RegisteredModel> searchRegisteredModels(RegistryQuery query);

    /** Sets (or overwrites) a tag of a registered model. */
    void setRegisteredModelTag(String name, RegisteredModelTag tag);

    /** Deletes a tag of a registered model; deleting a tag that is not set is not an error, as in MLflow. */
    void deleteRegisteredModelTag(String name, String key);

    /**
     * For each of {@code stages} (all stages when empty), the highest READY version in that stage,
     * in stage order; stages without versions are left out.
     */
    List<ModelVersion> getLatestVersions(String name, List<ModelStage> stages);

    /**
     * Registers a new version of an existing model: the next number (1 for the first, never
     * reused), stage None, status READY. Also marks the model as updated.
     */
    ModelVersion createModelVersion(NewModelVersion version);

    /** One version of a registered model. */
    Optional<ModelVersion> getModelVersion(String name, String version);

    /** Replaces the description of a model version (null clears it). */
    ModelVersion updateModelVersion(String name, String version, String description);

    /** Deletes a model version with its tags and the aliases pointing at it. */
    void deleteModelVersion(String name, String version);

    /**
     * Searches model versions. The filter accepts {@code name}, {@code run_id} (also
     * {@code IN}/{@code NOT IN}), {@code source_path}, {@code version_number} and
     * {@code tags.<key>}; order by {@code name}, {@code version_number},
     * {@code creation_timestamp} or {@code last_updated_timestamp}, ties broken by name ascending
     * then version descending (also the default order).
     */
    Page<ModelVersion> searchModelVersions(RegistryQuery query);

    /**
     * Where the files of a model version can be downloaded: its source, except that a
     * {@code runs:/<run_id>/<path>} source of a run in this tracking store resolves to that run's
     * artifact URI followed by the path.
     */
    String getModelVersionDownloadUri(String name, String version);

    /** Sets (or overwrites) a tag of a model version. */
    void setModelVersionTag(String name, String version, ModelVersionTag tag);

    /** Deletes a tag of a model version; deleting a tag that is not set is not an error, as in MLflow. */
    void deleteModelVersionTag(String name, String version, String key);

    /**
     * Moves a version to {@code stage}. With {@code archiveExistingVersions}, the model's other
     * versions in that stage move to Archived in the same transaction, which is only allowed for
     * Staging and Production (INVALID_PARAMETER_VALUE otherwise).
     */
    ModelVersion transitionModelVersionStage(String name, String version, ModelStage stage, boolean archiveExistingVersions);

    /** Points {@code alias} at a version of the model, moving it if it pointed elsewhere. */
    void setRegisteredModelAlias(String name, String alias, String version);

    /** Removes an alias; removing one that is not set is not an error, as in MLflow. */
    void deleteRegisteredModelAlias(String name, String alias);

    /** The version {@code alias} points at; empty when the model or the alias does not exist. */
    Optional<ModelVersion> getModelVersionByAlias(String name, String alias);

    @Override
    void close();
}
