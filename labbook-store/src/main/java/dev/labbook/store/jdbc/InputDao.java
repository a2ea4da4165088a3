package dev.labbook.store.jdbc;

import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Records which datasets a run used. A dataset is stored once per experiment (name, digest). */
final class InputDao {
    private InputDao() {}

    static void insert(Handle h, RunRow run, List<DatasetInput> inputs) {
        for (DatasetInput in : inputs) {
            Dataset d = in.dataset();
            h.createUpdate("INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, name, digest) DO NOTHING")
                    .bind(0, run.experimentId()).bind(1, d.name()).bind(2, d.digest()).bind(3, d.sourceType())
                    .bind(4, d.source()).bind(5, d.schema()).bind(6, d.profile()).execute();
            long datasetPk = h.createQuery("SELECT dataset_pk FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?")
                    .bind(0, run.experimentId()).bind(1, d.name()).bind(2, d.digest()).mapTo(Long.class).one();
            h.createUpdate("INSERT INTO run_inputs (run_pk, dataset_pk) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .bind(0, run.runPk()).bind(1, datasetPk).execute();
            for (InputTag t : in.tags()) {
                h.createUpdate("INSERT INTO run_input_tags (run_pk, dataset_pk, key, value) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (run_pk, dataset_pk, key) DO UPDATE SET value = excluded.value")
                        .bind(0, run.runPk()).bind(1, datasetPk).bind(2, t.key()).bind(3, t.value()).execute();
            }
        }
    }
}
