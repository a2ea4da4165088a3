package dev.labbook.store;

import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Page;
import java.util.List;
import java.util.Optional;

/**
 * MLflow 3's logged models and the runs' links to them. Deletes are soft: a deleted model is
 * not found by {@link #getLoggedModel} nor by searches, as in MLflow. Every method throws
 * {@link dev.labbook.core.LabbookException}: RESOURCE_DOES_NOT_EXIST for an unknown (or deleted)
 * model, INVALID_PARAMETER_VALUE for bad input.
 */
public interface LoggedModelStore extends AutoCloseable {

    /** Creates a model in PENDING status, in an active experiment. */
    LoggedModel createLoggedModel(NewLoggedModel model);

    /** The model, unless it does not exist or was deleted. */
    Optional<LoggedModel> getLoggedModel(String modelId);

    /** Sets the status (READY or UPLOAD_FAILED, as clients finalize) and returns the model. */
    LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status);

    /** Soft-deletes the model. */
    void deleteLoggedModel(String modelId);

    /** Sets tags (last one wins) and returns the model. */
    LoggedModel setLoggedModelTags(String modelId, List<LoggedModelTag> tags);

    /**
     * Sets tag {@code key} to {@code update} of its current value (null when it has none)
     * atomically, so that concurrent updates through any replica all apply; false, changing
     * nothing, when there is no active model {@code modelId}. {@code update} runs inside the
     * write transaction: keep it quick, without side effects.
     */
    boolean updateLoggedModelTag(String modelId, String key, java.util.function.UnaryOperator<String> update);

    /** Deletes one tag; RESOURCE_DOES_NOT_EXIST when the model has no such tag. */
    void deleteLoggedModelTag(String modelId, String key);

    /** Adds params; params are write-once (the same value again is accepted). */
    void logLoggedModelParams(String modelId, List<LoggedModelParameter> params);

    /** Models of the experiments matching the query, one page of them. */
    Page<LoggedModel> searchLoggedModels(LoggedModelQuery query);

    /** Records the models an active run produced (MLflow 3's LogOutputs). */
    void logOutputs(String runId, List<ModelOutput> models);

    @Override
    void close();
}
