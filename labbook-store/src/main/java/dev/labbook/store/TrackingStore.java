package dev.labbook.store;

import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.MetricWithRunId;
import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.util.List;
import java.util.Optional;

/**
 * Experiments, runs and what is logged to them. The primitives are {@link #logBatch} and
 * {@link #searchRuns}; the single-item log methods delegate to them. Deletes are soft and have a
 * matching restore. Every method throws {@link dev.labbook.core.LabbookException} for bad input or
 * a missing entity; database rows never leave the store.
 */
public interface TrackingStore extends AutoCloseable {

    /** Creates an experiment and returns its id. Fails with RESOURCE_ALREADY_EXISTS on a taken name. */
    String createExperiment(String name, String artifactLocation, List<ExperimentTag> tags);

    Optional<Experiment> getExperiment(String experimentId);

    Optional<Experiment> getExperimentByName(String name);

    Page<Experiment> searchExperiments(ExperimentQuery query);

    void renameExperiment(String experimentId, String newName);

    /** Soft-deletes the experiment and its runs. */
    void deleteExperiment(String experimentId);

    void restoreExperiment(String experimentId);

    void setExperimentTag(String experimentId, ExperimentTag tag);

    /**
     * Removes an experiment's tag (MLflow's DeleteExperimentTag); RESOURCE_DOES_NOT_EXIST when the
     * experiment has no such tag, INVALID_PARAMETER_VALUE when the experiment is deleted.
     */
    void deleteExperimentTag(String experimentId, String key);

    RunInfo createRun(NewRun run);

    Optional<Run> getRun(String runId);

    /** Updates status, end time and name; null arguments leave the field unchanged. */
    RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName);

    void deleteRun(String runId);

    void restoreRun(String runId);

    /**
     * Logs metrics, params and tags atomically: either all are stored or none. Params are
     * write-once (the same value again is accepted); metric points append (an identical point
     * logged twice is stored once, so replays are idempotent); tags overwrite.
     */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags);

    default void logMetric(String runId, Metric metric) {
        logBatch(runId, List.of(metric), List.of(), List.of());
    }

    default void logParam(String runId, Param param) {
        logBatch(runId, List.of(), List.of(param), List.of());
    }

    default void setTag(String runId, RunTag tag) {
        logBatch(runId, List.of(), List.of(), List.of(tag));
    }

    /**
     * Sets tag {@code key} to {@code update} of its current value (null when the run has no such
     * tag) atomically: concurrent updates of one tag, through any replica, apply one after the
     * other and none is lost. {@code update} runs inside the write transaction: keep it quick, without side effects.
     */
    void updateTag(String runId, String key, java.util.function.UnaryOperator<String> update);

    void deleteTag(String runId, String key);

    void logInputs(String runId, List<DatasetInput> inputs);

    /** Logs dataset inputs and (MLflow 3) the logged models the run consumed, atomically. */
    void logInputs(String runId, List<DatasetInput> inputs, List<ModelInput> models);

    Page<Run> searchRuns(RunQuery query);

    /** The history of one metric of one run, ordered by step then timestamp, in pages. */
    Page<Metric> getMetricHistory(String runId, String key, int maxResults, String pageToken);

    /**
     * A chart's worth of points for several runs: per run, at most {@code maxResults} points of the
     * metric with step in [startStep, endStep], always the first and last and, per step bucket,
     * the minimum and maximum value.
     */
    List<MetricWithRunId> getMetricHistoryBulkInterval(
            List<String> runIds, String key, Long startStep, Long endStep, int maxResults);

    @Override
    void close();
}
