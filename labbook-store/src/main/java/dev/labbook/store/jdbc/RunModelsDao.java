package dev.labbook.store.jdbc;

import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.ModelOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The logged models runs consumed (model inputs) and produced (model outputs). */
final class RunModelsDao {
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private RunModelsDao() {}

    static void insertInputs(Handle h, long runPk, List<ModelInput> models) {
        if (models.isEmpty()) {
            return;
        }
        PreparedBatch b = batch(h);
        models.forEach(m -> b.bind(0, runPk).bind(1, INPUT).bind(2, m.modelId()).bind(3, 0L).add());
        b.execute();
    }

    static void insertOutputs(Handle h, long runPk, List<ModelOutput> models) {
        if (models.isEmpty()) {
            return;
        }
        PreparedBatch b = batch(h);
        models.forEach(m -> b.bind(0, runPk).bind(1, OUTPUT).bind(2, m.modelId()).bind(3, m.step()).add());
        b.execute();
    }

    private static PreparedBatch batch(Handle h) {
        return h.prepareBatch("INSERT INTO run_models (run_pk, direction, model_id, step) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    /** The models of a page of runs, by run key. */
    record Links(Map<Long, List<ModelInput>> inputs, Map<Long, List<ModelOutput>> outputs) {}

    /** The links of the runs {@code pks} (an SQL list of run keys). */
    static Links read(Handle h, String pks) {
        Map<Long, List<ModelInput>> inputs = new HashMap<>();
        Map<Long, List<ModelOutput>> outputs = new HashMap<>();
        h.createQuery("SELECT run_pk, direction, model_id, step FROM run_models WHERE run_pk IN (" + pks + ")"
                        + " ORDER BY run_pk, step, model_id")
                .map((rs, ctx) -> {
                    if (INPUT.equals(rs.getString(2))) {
                        inputs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ModelInput(rs.getString(3)));
                    } else {
                        outputs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new ModelOutput(rs.getString(3), rs.getLong(4)));
                    }
                    return 0;
                })
                .list();
        return new Links(inputs, outputs);
    }
}
