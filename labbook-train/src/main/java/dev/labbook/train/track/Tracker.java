package dev.labbook.train.track;

import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.RunStatus;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run being tracked: what training logs as it goes. Implementations may buffer, but must have
 * stored everything once {@link #finish} returns. Adapters exist for the Labbook store and, once
 * available, the Labbook SDK; {@link InMemoryTracking} serves tests.
 */
public interface Tracker {

    /** The run's id. */
    String runId();

    /** Logs hyperparameters; params are write-once, as in MLflow. */
    void logParams(Map<String, String> params);

    /** Logs metric values at {@code step}. */
    void logMetrics(Map<String, Double> metrics, long step);

    /** Uploads a file, or a directory's files, under {@code artifactPath} ("" for the root). */
    void logArtifact(Path local, String artifactPath);

    /**
     * Logs a trained model: its files under {@code artifactPath} of the run and, where the store
     * knows MLflow 3's logged models, also as a logged model produced by this run (an output of
     * the run, its metrics logged with the model's id). By default only the artifact is logged.
     */
    default void logModel(Path modelDir, String artifactPath, TrainedModel model) {
        logArtifact(modelDir, artifactPath);
    }

    /** Records a data set the run consumed (MLflow log-inputs). */
    void logDatasetInput(DatasetInput input);

    /** Sets a tag; tags overwrite. */
    void setTag(String key, String value);

    /** Ends the run with {@code status} (FINISHED, FAILED or KILLED). */
    void finish(RunStatus status);
}
