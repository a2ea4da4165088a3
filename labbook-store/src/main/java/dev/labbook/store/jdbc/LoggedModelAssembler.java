package dev.labbook.store.jdbc;

import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelData;
import dev.labbook.core.loggedmodel.LoggedModelInfo;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Turns logged-model rows into logged models: tags, params and metrics, each read with one
 * query for the whole page.
 */
final class LoggedModelAssembler {
    private LoggedModelAssembler() {}

    static LoggedModel one(Handle h, LoggedModelRow row) {
        return assemble(h, List.of(row)).get(0);
    }

    static List<LoggedModel> assemble(Handle h, List<LoggedModelRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> pkList = new ArrayList<>(rows.size());
        rows.forEach(r -> pkList.add(r.modelPk()));
        String pks = SqlLists.ids(pkList);
        Map<Long, List<LoggedModelTag>> tags = new HashMap<>();
        h.createQuery("SELECT model_pk, key, value FROM logged_model_tags WHERE model_pk IN (" + pks + ") ORDER BY key")
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new LoggedModelTag(rs.getString(2), rs.getString(3))))
                .list();
        Map<Long, List<LoggedModelParameter>> params = new HashMap<>();
        h.createQuery("SELECT model_pk, key, value FROM logged_model_params WHERE model_pk IN (" + pks + ") ORDER BY key")
                .map((rs, ctx) -> params.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new LoggedModelParameter(rs.getString(2), rs.getString(3))))
                .list();
        Map<String, String> modelIds = new HashMap<>();
        rows.forEach(r -> modelIds.put(Long.toString(r.modelPk()), r.modelId()));
        Map<Long, List<Metric>> metrics = new HashMap<>();
        h.createQuery("SELECT model_pk, key, value, is_nan, timestamp, step, dataset_name, dataset_digest, run_id"
                        + " FROM logged_model_metrics WHERE model_pk IN (" + pks + ") ORDER BY key, timestamp, step")
                .map((rs, ctx) -> metrics.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Metric(rs.getString(2), MetricDao.value(rs, 3, 4), rs.getLong(5), rs.getLong(6),
                                emptyToNull(rs.getString(7)), emptyToNull(rs.getString(8)),
                                modelIds.get(Long.toString(rs.getLong(1))), emptyToNull(rs.getString(9)))))
                .list();
        List<LoggedModel> out = new ArrayList<>(rows.size());
        for (LoggedModelRow r : rows) {
            LoggedModelInfo info = new LoggedModelInfo(r.modelId(), Long.toString(r.experimentId()), r.name(),
                    r.creationTimestampMs(), r.lastUpdatedTimestampMs(), r.artifactLocation(), r.status(),
                    // MLflow sends "" for a model without a type or a source run, not nothing
                    emptyIfNull(r.modelType()), emptyIfNull(r.sourceRunId()), r.statusMessage(), tags.getOrDefault(r.modelPk(), List.of()));
            out.add(new LoggedModel(info, new LoggedModelData(params.getOrDefault(r.modelPk(), List.of()),
                    metrics.getOrDefault(r.modelPk(), List.of()))));
        }
        return out;
    }

    /** logged_model_metrics keys hold '' for "none". */
    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }
}
