package dev.labbook.store.jdbc;

import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.ModelOutput;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The store's own write paths for tools that copy data in from elsewhere (the MLflow import):
 * metric points go through the same code as a log-batch, so their latest values, block
 * summaries and run change numbers are kept exactly as for logged points. Unlike the REST API,
 * these accept runs in any lifecycle stage: an imported deleted run keeps its history. Call them
 * inside {@link Database#write}.
 */
public final class BulkWrites {
    private BulkWrites() {}

    /**
     * Call first in a transaction that writes runs, their params or tags: on a database with
     * concurrent writers it takes the change-number lock before any runs row, in the order every
     * writer of the store takes them (see {@link Dialect#lockChangeNumbers()}).
     */
    public static void beginRunWrites(Handle h) {
        Dialect.lockChangeNumbers(h);
    }

    /** Stores metric points of the run {@code runUuid}, as log-batch does (identical points once). */
    public static void logMetrics(Handle h, String runUuid, List<Metric> metrics) {
        RunRow row = RunDao.require(h, runUuid);
        MetricDao.insert(h, row.runPk(), metrics);
        MetricDetailsDao.insert(h, row, metrics);
    }

    /** Records dataset inputs of the run, as log-inputs does. */
    public static void logInputs(Handle h, String runUuid, List<DatasetInput> inputs) {
        InputDao.insert(h, RunDao.require(h, runUuid), inputs);
    }

    /** Records the logged models the run consumed and produced. */
    public static void logModels(Handle h, String runUuid, List<ModelInput> inputs, List<ModelOutput> outputs) {
        long pk = RunDao.require(h, runUuid).runPk();
        RunModelsDao.insertInputs(h, pk, inputs);
        RunModelsDao.insertOutputs(h, pk, outputs);
    }
}
