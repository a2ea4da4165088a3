package dev.labbook.store.transfer;

import static dev.labbook.store.transfer.SourceDatabase.asLong;
import static dev.labbook.store.transfer.SourceDatabase.asString;

import dev.labbook.core.LabbookException;
import dev.labbook.store.transfer.MlflowImport.ImportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** MLflow 3's logged models with their params, tags, metrics and files (absent in 2.x databases). */
final class LoggedModelImport {
    static final String KIND = "logged models";
    /** MLflow stores the status as the protobuf enum number. */
    private static final String[] STATUS = {"LOGGED_MODEL_STATUS_UNSPECIFIED", "LOGGED_MODEL_PENDING",
            "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"};
    private final ImportContext ctx;

    LoggedModelImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        SourceDatabase src = ctx.src;
        if (!src.hasTable("logged_models")) {
            return;
        }
        List<Object[]> models = src.rows("SELECT model_id, experiment_id, name, artifact_location, creation_timestamp_ms,"
                + " last_updated_timestamp_ms, status, status_message, model_type, source_run_id, lifecycle_stage"
                + " FROM logged_models ORDER BY creation_timestamp_ms, model_id");
        List<Object[]> params = src.hasTable("logged_model_params")
                ? src.rows("SELECT model_id, param_key, param_value FROM logged_model_params") : List.of();
        List<Object[]> tags = src.hasTable("logged_model_tags")
                ? src.rows("SELECT model_id, tag_key, tag_value FROM logged_model_tags") : List.of();
        List<Object[]> metrics = src.hasTable("logged_model_metrics")
                ? src.rows("SELECT model_id, metric_name, metric_timestamp_ms, metric_step, run_id, dataset_name,"
                        + " dataset_digest, metric_value FROM logged_model_metrics") : List.of();
        List<MlflowLocations.Location> copies = new ArrayList<>();
        ctx.db.write(h -> {
            for (Object[] m : models) {
                String id = asString(m[0]);
                long exp = asLong(m[1]);
                Optional<Long> existing = h.createQuery("SELECT experiment_id FROM logged_models WHERE model_id = ?")
                        .bind(0, id).mapTo(Long.class).findOne();
                MlflowLocations.Location loc = ctx.locations.locate(asString(m[3]), exp + "/models/" + id + "/artifacts");
                copies.add(loc);
                if (existing.isPresent()) {
                    if (existing.get() != exp) {
                        throw LabbookException.invalid("Logged model %s is in experiment %d in MLflow but in experiment %d "
                                + "in the Labbook store", id, exp, existing.get());
                    }
                    ctx.tally.present(KIND, 1);
                    continue;
                }
                int status = m[6] == null ? 0 : asLong(m[6]).intValue();
                h.createUpdate("INSERT INTO logged_models (model_id, experiment_id, name, artifact_location,"
                                + " creation_timestamp_ms, last_updated_timestamp_ms, status, status_message, model_type,"
                                + " source_run_id, lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, id).bind(1, exp).bind(2, asString(m[2])).bind(3, loc.uri()).bind(4, asLong(m[4]))
                        .bind(5, asLong(m[5])).bind(6, STATUS[status >= 0 && status < STATUS.length ? status : 0])
                        .bind(7, asString(m[7])).bind(8, asString(m[8])).bind(9, asString(m[9]))
                        .bind(10, m[10] == null ? "active" : asString(m[10])).execute();
                ctx.tally.added(KIND, 1);
            }
            keyValues(h, "logged_model_params", "logged model params", params);
            keyValues(h, "logged_model_tags", "logged model tags", tags);
            if (!metrics.isEmpty()) {
                PreparedBatch b = h.prepareBatch("INSERT INTO logged_model_metrics (model_pk, key, timestamp, step, run_id,"
                        + " dataset_name, dataset_digest, value, is_nan)"
                        + " SELECT model_pk, ?, ?, ?, ?, ?, ?, ?, ? FROM logged_models WHERE model_id = ? ON CONFLICT DO NOTHING");
                for (Object[] r : metrics) {
                    Double v = r[7] == null ? null : ((Number) r[7]).doubleValue();
                    boolean nan = v == null || v.isNaN();
                    b.bind(0, asString(r[1])).bind(1, asLong(r[2])).bind(2, asLong(r[3])).bind(3, asString(r[4]))
                            .bind(4, nullToEmpty(asString(r[5]))).bind(5, nullToEmpty(asString(r[6])))
                            .bind(6, nan ? 0.0 : v).bind(7, nan ? 1 : 0).bind(8, asString(r[0])).add();
                }
                ctx.count("logged model metrics", b.execute());
            }
            return null;
        });
        copies.forEach(ctx::copyFiles);
        ctx.progress.accept(String.format("logged models: %,d", models.size()));
    }

    private void keyValues(Handle h, String table, String kind, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO " + table + " (model_pk, key, value)"
                + " SELECT model_pk, ?, ? FROM logged_models WHERE model_id = ? ON CONFLICT DO NOTHING");
        for (Object[] r : rows) {
            b.bind(0, asString(r[1])).bind(1, asString(r[2])).bind(2, asString(r[0])).add();
        }
        ctx.count(kind, b.execute());
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
