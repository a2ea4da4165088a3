package dev.labbook.client.internal;

import dev.labbook.client.spool.RunMeta;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.RunStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a sender delivers a spool: a tracking server over HTTP, or a store on this machine. Every
 * operation is idempotent, because the sender repeats whatever it is not sure was applied.
 * Failures are {@link dev.labbook.core.LabbookException}s; {@link Http#isRetryable} tells which
 * ones are worth repeating.
 */
public interface Backend extends AutoCloseable {

    /**
     * Creates the run {@code meta} describes and returns the meta with the run's ids. When
     * {@code mayExist}, a run with the same client id is looked for first, so that a create whose
     * answer was lost is not repeated.
     */
    RunMeta createRun(RunMeta meta, boolean mayExist);

    /**
     * The meta of an existing run {@code runId} to log into instead of creating one (a sweep
     * trial's run, named by {@code MLFLOW_RUN_ID}); RESOURCE_DOES_NOT_EXIST when there is none.
     */
    RunMeta attach(RunMeta meta, String runId);

    /**
     * Logs the entries of a log-batch delivery, all or nothing: a refused entry fails the whole
     * request (a {@link dev.labbook.core.ErrorCode} answered with 400), and nothing of it is stored.
     */
    void logBatch(String runId, Batch batch);

    /**
     * True when the run no longer exists, or was deleted: then every request for it fails, and
     * no entry of a refused log-batch is to blame. Throws a retryable failure when it cannot tell.
     */
    boolean runGone(String runId);

    /** Records datasets the run used (MLflow log-inputs); the same dataset again changes nothing. */
    void logInputs(String runId, List<DatasetInput> inputs);

    void endRun(String runId, RunStatus status, long endTime);

    /** Uploads a file, or every file below a directory, under {@code artifactDir} of the run. */
    void upload(RunMeta run, Path local, String artifactDir);

    /** Where this backend delivers, for messages. */
    String describe();

    @Override
    default void close() {}
}
