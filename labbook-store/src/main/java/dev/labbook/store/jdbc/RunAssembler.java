package dev.labbook.store.jdbc;

import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunData;
import dev.labbook.core.model.RunInputs;
import dev.labbook.core.model.RunOutputs;
import dev.labbook.core.model.RunTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Turns run rows into full runs: latest metrics, params, tags and dataset inputs, each read with
 * one query for the whole page of runs rather than one per run.
 */
final class RunAssembler {
    private RunAssembler() {}

    static List<Run> assemble(Handle h, List<RunRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        StringBuilder in = new StringBuilder(rows.size() * 6);
        for (RunRow r : rows) {
            in.append(in.length() == 0 ? "" : ",").append(r.runPk());
        }
        String pks = in.toString();
        Map<Long, List<Metric>> metrics = new HashMap<>();
        // MLflow 3's fields of the latest points, for the few points that have any (see MetricDetailsDao)
        h.createQuery("SELECT s.run_pk, s.key, s.value, s.is_nan, s.timestamp, s.step,"
                        + " d.dataset_name, d.dataset_digest, d.model_id, d.run_id FROM metric_series s"
                        + " LEFT JOIN metric_point_details d ON d.series_id = s.series_id AND d.step = s.step AND d.timestamp = s.timestamp"
                        + " AND d.value = s.value AND d.is_nan = s.is_nan"
                        + " WHERE s.run_pk IN (" + pks + ") ORDER BY s.key")
                .map((rs, ctx) -> metrics.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Metric(rs.getString(2), MetricDao.value(rs, 3, 4), rs.getLong(5), rs.getLong(6),
                                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10))))
                .list();
        Map<Long, List<Param>> params = new HashMap<>();
        h.createQuery("SELECT run_pk, key, value FROM params WHERE run_pk IN (" + pks + ") ORDER BY key")
                .map((rs, ctx) -> params.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Param(rs.getString(2), rs.getString(3))))
                .list();
        Map<Long, List<RunTag>> tags = new HashMap<>();
        h.createQuery("SELECT run_pk, key, value FROM tags WHERE run_pk IN (" + pks + ") ORDER BY key")
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new RunTag(rs.getString(2), rs.getString(3))))
                .list();
        Map<Long, List<DatasetInput>> inputs = inputs(h, pks);
        RunModelsDao.Links models = RunModelsDao.read(h, pks);
        List<Run> out = new ArrayList<>(rows.size());
        for (RunRow r : rows) {
            out.add(new Run(r.info(),
                    new RunData(metrics.getOrDefault(r.runPk(), List.of()), params.getOrDefault(r.runPk(), List.of()),
                            tags.getOrDefault(r.runPk(), List.of())),
                    new RunInputs(inputs.getOrDefault(r.runPk(), List.of()), models.inputs().get(r.runPk())),
                    new RunOutputs(models.outputs().getOrDefault(r.runPk(), List.of()))));
        }
        return out;
    }

    private static Map<Long, List<DatasetInput>> inputs(Handle h, String pks) {
        Map<String, List<InputTag>> inputTags = new HashMap<>();
        h.createQuery("SELECT run_pk, dataset_pk, key, value FROM run_input_tags WHERE run_pk IN (" + pks + ") ORDER BY key")
                .map((rs, ctx) -> inputTags.computeIfAbsent(rs.getLong(1) + ":" + rs.getLong(2), k -> new ArrayList<>())
                        .add(new InputTag(rs.getString(3), rs.getString(4))))
                .list();
        Map<Long, List<DatasetInput>> out = new HashMap<>();
        h.createQuery("SELECT i.run_pk, d.dataset_pk, d.name, d.digest, d.source_type, d.source, d.schema, d.profile"
                        + " FROM run_inputs i JOIN datasets d ON d.dataset_pk = i.dataset_pk WHERE i.run_pk IN (" + pks + ")"
                        + " ORDER BY d.dataset_pk")
                .map((rs, ctx) -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new DatasetInput(
                        inputTags.getOrDefault(rs.getLong(1) + ":" + rs.getLong(2), List.of()),
                        new Dataset(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getString(8)))))
                .list();
        return out;
    }
}
