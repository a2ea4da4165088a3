package dev.labbook.store.transfer;

import static dev.labbook.store.transfer.SourceDatabase.asBool;
import static dev.labbook.store.transfer.SourceDatabase.asLong;
import static dev.labbook.store.transfer.SourceDatabase.asString;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.store.jdbc.BulkWrites;
import dev.labbook.store.transfer.MlflowImport.ImportContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * MLflow's runs, one store transaction each: the run with its id, params, tags, metric history
 * (through the store's log-batch path), dataset and model inputs and outputs, then its files.
 */
final class RunImport {
    static final String KIND = "runs";
    static final String POINTS = "metric points";
    /** Points per call of the log-batch path, which holds them in memory. */
    private static final int CHUNK = 50_000;
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;
    private final ImportContext ctx;
    private final SourceDatabase src;

    RunImport(ImportContext ctx) {
        this.ctx = ctx;
        this.src = ctx.src;
    }

    /** Imports every run; answers each run's MLflow artifact URI mapped to its Labbook one. */
    Map<String, String> run() {
        List<Object[]> runs = src.rows("SELECT run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
                + " artifact_uri, lifecycle_stage, " + src.columnOr("runs", "deleted_time", "NULL")
                + " FROM runs ORDER BY experiment_id, start_time, run_uuid");
        Map<String, String> uris = new HashMap<>();
        long lastReport = System.nanoTime();
        int done = 0;
        for (Object[] r : runs) {
            String runId = asString(r[0]);
            long exp = asLong(r[1]);
            MlflowLocations.Location loc = ctx.locations.locate(asString(r[7]), exp + "/" + runId + "/artifacts");
            if (r[7] != null) {
                uris.put(asString(r[7]), loc.uri());
            }
            importRun(r, runId, exp, loc.uri());
            ctx.copyFiles(loc);
            done++;
            if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS || done == runs.size()) {
                lastReport = System.nanoTime();
                ctx.progress.accept(String.format("runs: %,d/%,d, %,d metric points, %,d rows read, %,.0f rows/s",
                        done, runs.size(), ctx.tally.added(POINTS) + ctx.tally.present(POINTS), src.rowsRead(), ctx.rate()));
            }
        }
        return uris;
    }

    private void importRun(Object[] r, String runId, long exp, String artifactUri) {
        List<Object[]> params = src.rows("SELECT key, value FROM params WHERE run_uuid = ?", runId);
        List<Object[]> tags = src.rows("SELECT key, value FROM tags WHERE run_uuid = ?", runId);
        List<Metric> metrics = metrics(runId);
        List<Metric> latestOnly = latestOnly(runId, metrics);
        List<DatasetInput> inputs = datasetInputs(runId);
        List<ModelInput> modelInputs = new ArrayList<>();
        List<ModelOutput> modelOutputs = new ArrayList<>();
        modelIo(runId, modelInputs, modelOutputs);
        ctx.db.write(h -> {
            BulkWrites.beginRunWrites(h);
            Optional<Long> existing = h.createQuery("SELECT experiment_id FROM runs WHERE run_uuid = ?")
                    .bind(0, runId).mapTo(Long.class).findOne();
            if (existing.isPresent() && existing.get() != exp) {
                throw LabbookException.invalid("Run %s is in experiment %d in MLflow but in experiment %d in the Labbook store",
                        runId, exp, existing.get());
            }
            if (existing.isPresent()) {
                ctx.tally.present(KIND, 1);
            } else {
                insertRun(h, r, runId, exp, artifactUri, tags);
                ctx.tally.added(KIND, 1);
            }
            keyValues(h, "params", "params", runId, params);
            if (existing.isPresent()) {
                checkParams(h, runId, params);
            }
            keyValues(h, "tags", "tags", runId, tags);
            long before = existing.isPresent() ? pointCount(h, runId) : 0;
            List<Metric> points = new ArrayList<>(metrics);
            points.addAll(latestOnly);
            if (existing.isPresent() && before > 0) {
                points = missing(h, runId, points);
            }
            for (int from = 0; from < points.size(); from += CHUNK) {
                BulkWrites.logMetrics(h, runId, points.subList(from, Math.min(points.size(), from + CHUNK)));
            }
            long added = points.isEmpty() ? 0 : pointCount(h, runId) - before;
            ctx.tally.added(POINTS, added);
            ctx.tally.present(POINTS, metrics.size() + latestOnly.size() - added);
            if (!inputs.isEmpty()) {
                long had = inputCount(h, runId);
                BulkWrites.logInputs(h, runId, inputs);
                long now = inputCount(h, runId);
                ctx.tally.added("dataset inputs", now - had);
                ctx.tally.present("dataset inputs", inputs.size() - (now - had));
            }
            if (!modelInputs.isEmpty() || !modelOutputs.isEmpty()) {
                BulkWrites.logModels(h, runId, modelInputs, modelOutputs);
            }
            return null;
        });
    }

    private static void insertRun(Handle h, Object[] r, String runId, long exp, String artifactUri, List<Object[]> tags) {
        String name = asString(r[2]);
        if (name == null || name.isEmpty()) {
            for (Object[] t : tags) {
                if ("mlflow.runName".equals(asString(t[0]))) {
                    name = asString(t[1]);
                }
            }
        }
        String stage = r[8] == null ? "active" : asString(r[8]);
        Long start = asLong(r[5]);
        h.createUpdate("INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
                        + " artifact_uri, lifecycle_stage, deleted_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, runId).bind(1, exp).bind(2, name == null ? "" : name).bind(3, asString(r[3]))
                .bind(4, r[4] == null ? "SCHEDULED" : asString(r[4])).bind(5, start == null ? 0L : start)
                .bind(6, asLong(r[6])).bind(7, artifactUri).bind(8, stage).bind(9, asLong(r[9])).execute();
    }

    private void keyValues(Handle h, String table, String kind, String runId, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO " + table + " (run_pk, key, value)"
                + " SELECT run_pk, ?, ? FROM runs WHERE run_uuid = ? ON CONFLICT DO NOTHING");
        for (Object[] row : rows) {
            b.bind(0, asString(row[0])).bind(1, asString(row[1])).bind(2, runId).add();
        }
        ctx.count(kind, b.execute());
    }

    /** Params are written once, in MLflow as here: a param of the run that differs is different data. */
    private static void checkParams(Handle h, String runId, List<Object[]> params) {
        Map<String, String> stored = new HashMap<>();
        h.createQuery("SELECT p.key, p.value FROM params p JOIN runs r ON r.run_pk = p.run_pk WHERE r.run_uuid = ?")
                .bind(0, runId).map((rs, c) -> stored.put(rs.getString(1), rs.getString(2))).list();
        for (Object[] p : params) {
            String have = stored.get(asString(p[0]));
            if (have != null && !have.equals(asString(p[1]))) {
                throw LabbookException.invalid("Run %s has param '%s' = '%s' in MLflow but '%s' in the Labbook store",
                        runId, asString(p[0]), asString(p[1]), have);
            }
        }
    }

    /**
     * The run's history in key and step order (which the log-batch path appends fastest), with
     * MLflow 3's dataset and model fields taken from its logged-model metrics.
     */
    private List<Metric> metrics(String runId) {
        Map<String, String[]> details = modelMetricDetails(runId);
        List<Metric> out = new ArrayList<>();
        try (PreparedStatement ps = src.connection().prepareStatement(
                "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? ORDER BY key, step, timestamp, value")) {
            ps.setString(1, runId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(2);
                    boolean nan = rs.wasNull() || asBool(rs.getObject(5));
                    Long ts = asLong(rs.getObject(3));
                    Metric m = new Metric(rs.getString(1), nan ? Double.NaN : v, ts == null ? 0 : ts, rs.getLong(4));
                    String[] d = details.isEmpty() ? null : details.get(pointKey(m));
                    out.add(d == null ? m : m.withDetails(d[1], d[2], d[0], runId));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the metrics of run " + runId + ": " + e.getMessage(), e);
        }
        src.countRead(out.size());
        return out;
    }

    /** MLflow 3: (model id, dataset name, dataset digest) of each point logged for a model. */
    private Map<String, String[]> modelMetricDetails(String runId) {
        if (!src.hasTable("logged_model_metrics")) {
            return Map.of();
        }
        Map<String, String[]> out = new HashMap<>();
        for (Object[] r : src.rows("SELECT metric_name, metric_step, metric_timestamp_ms, metric_value, model_id,"
                + " dataset_name, dataset_digest FROM logged_model_metrics WHERE run_id = ?", runId)) {
            double v = r[3] == null ? Double.NaN : ((Number) r[3]).doubleValue();
            Metric m = new Metric(asString(r[0]), v, asLong(r[2]), asLong(r[1]));
            out.put(pointKey(m), new String[] {asString(r[4]), asString(r[5]), asString(r[6])});
        }
        return out;
    }

    private static String pointKey(Metric m) {
        return m.key() + "\u0000" + m.step() + ":" + m.timestamp() + ":" + (Double.isNaN(m.value()) ? "NaN" : m.value());
    }

    /** MLflow's latest value of each metric whose history is not in the metrics table (it should be). */
    private List<Metric> latestOnly(String runId, List<Metric> history) {
        if (!src.hasTable("latest_metrics")) {
            return List.of();
        }
        Set<String> keys = new HashSet<>();
        history.forEach(m -> keys.add(m.key()));
        List<Metric> out = new ArrayList<>();
        for (Object[] r : src.rows("SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ?", runId)) {
            String key = asString(r[0]);
            if (!keys.contains(key)) {
                boolean nan = r[1] == null || asBool(r[4]);
                out.add(new Metric(key, nan ? Double.NaN : ((Number) r[1]).doubleValue(), asLong(r[2]), asLong(r[3])));
            }
        }
        return out;
    }

    /** The points not stored yet for a run imported before (a database that grew since). */
    private static List<Metric> missing(Handle h, String runId, List<Metric> points) {
        Set<String> have = new HashSet<>();
        h.createQuery("SELECT s.key, p.step, p.timestamp, p.value, p.is_nan FROM metric_points p"
                        + " JOIN metric_series s ON s.series_id = p.series_id JOIN runs r ON r.run_pk = s.run_pk WHERE r.run_uuid = ?")
                .bind(0, runId)
                .map((rs, c) -> have.add(pointKey(new Metric(rs.getString(1), rs.getInt(5) == 1 ? Double.NaN : rs.getDouble(4),
                        rs.getLong(3), rs.getLong(2)))))
                .list();
        List<Metric> out = new ArrayList<>();
        for (Metric m : points) {
            if (!have.contains(pointKey(m))) {
                out.add(m);
            }
        }
        return out;
    }

    private static long pointCount(Handle h, String runId) {
        return h.createQuery("SELECT COUNT(*) FROM metric_points p JOIN metric_series s ON s.series_id = p.series_id"
                + " JOIN runs r ON r.run_pk = s.run_pk WHERE r.run_uuid = ?").bind(0, runId).mapTo(Long.class).one();
    }

    private static long inputCount(Handle h, String runId) {
        return h.createQuery("SELECT COUNT(*) FROM run_inputs i JOIN runs r ON r.run_pk = i.run_pk WHERE r.run_uuid = ?")
                .bind(0, runId).mapTo(Long.class).one();
    }

    /** The datasets the run used (inputs DATASET -> RUN) with their input tags. */
    private List<DatasetInput> datasetInputs(String runId) {
        if (!src.hasTable("inputs") || !src.hasTable("datasets")) {
            return List.of();
        }
        Map<String, Dataset> byInput = new LinkedHashMap<>();
        for (Object[] r : src.rows("SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source,"
                + " d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id"
                + " WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = ?"
                + " ORDER BY i.input_uuid", runId)) {
            byInput.put(asString(r[0]), new Dataset(asString(r[1]), asString(r[2]), asString(r[3]), asString(r[4]),
                    asString(r[5]), asString(r[6])));
        }
        List<DatasetInput> out = new ArrayList<>();
        for (var e : byInput.entrySet()) {
            List<InputTag> tags = new ArrayList<>();
            if (src.hasTable("input_tags")) {
                for (Object[] t : src.rows("SELECT name, value FROM input_tags WHERE input_uuid = ? ORDER BY name", e.getKey())) {
                    tags.add(new InputTag(asString(t[0]), asString(t[1])));
                }
            }
            out.add(new DatasetInput(tags, e.getValue()));
        }
        return out;
    }

    /** MLflow 3: the logged models the run consumed (RUN_INPUT) and produced (RUN_OUTPUT). */
    private void modelIo(String runId, List<ModelInput> inputs, List<ModelOutput> outputs) {
        if (!src.hasTable("inputs") || !src.hasTable("logged_models")) {
            return;
        }
        for (Object[] r : src.rows("SELECT source_type, destination_id, " + src.columnOr("inputs", "step", "0")
                + " FROM inputs WHERE source_id = ? AND destination_type IN ('MODEL_INPUT', 'MODEL_OUTPUT')", runId)) {
            if ("RUN_INPUT".equals(asString(r[0]))) {
                inputs.add(new ModelInput(asString(r[1])));
            } else if ("RUN_OUTPUT".equals(asString(r[0]))) {
                Long step = asLong(r[2]);
                outputs.add(new ModelOutput(asString(r[1]), step == null ? 0 : step));
            }
        }
    }
}
