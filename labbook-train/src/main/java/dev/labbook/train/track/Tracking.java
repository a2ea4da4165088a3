package dev.labbook.train.track;

import dev.labbook.core.model.Run;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where runs are tracked: starts runs and reads recorded ones back (for reproducing them). */
public interface Tracking extends AutoCloseable {

    /** Starts a run in {@code experiment} (created if missing). */
    Tracker startRun(String experiment, String runName, Map<String, String> tags);

    /** A recorded run with its params, latest metrics, tags and inputs. */
    Optional<Run> getRun(String runId);

    /** Downloads the run's artifact {@code artifactPath} (file or directory) into {@code target}. */
    Path downloadArtifact(String runId, String artifactPath, Path target);

    /**
     * Sets {@code tags} on {@code experiment} when it has none of their keys yet, so a person's
     * own choice (say, another primary metric set in the dashboard) is kept.
     */
    default void tagExperimentIfUntagged(String experiment, Map<String, String> tags) {}

    /** The names of the runs of {@code experiment} that start with {@code prefix} (for unique run names). */
    default Set<String> runNames(String experiment, String prefix) {
        return Set.of();
    }

    /** A human-readable location of the store, e.g. {@code sqlite:///...}. */
    String describe();

    @Override
    void close();
}
