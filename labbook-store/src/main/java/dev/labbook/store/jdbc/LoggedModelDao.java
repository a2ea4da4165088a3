package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.LifecycleStage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Reads and writes logged models, their params and their tags. */
final class LoggedModelDao {
    private LoggedModelDao() {}

    static long insert(Handle h, String modelId, long experimentId, String name, String artifactLocation, long now,
            String modelType, String sourceRunId) {
        return h.createUpdate("INSERT INTO logged_models (model_id, experiment_id, name, artifact_location,"
                        + " creation_timestamp_ms, last_updated_timestamp_ms, status, model_type, source_run_id, lifecycle_stage)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')")
                .bind(0, modelId).bind(1, experimentId).bind(2, name).bind(3, artifactLocation).bind(4, now).bind(5, now)
                .bind(6, LoggedModelStatus.LOGGED_MODEL_PENDING.name()).bind(7, modelType).bind(8, sourceRunId)
                .executeAndReturnGeneratedKeys("model_pk").mapTo(Long.class).one();
    }

    /** The model whatever its lifecycle stage. */
    static Optional<LoggedModelRow> find(Handle h, String modelId) {
        return h.createQuery("SELECT " + LoggedModelRow.COLUMNS + " FROM logged_models m WHERE m.model_id = ?")
                .bind(0, modelId).map((rs, ctx) -> LoggedModelRow.map(rs)).findOne();
    }

    /** The model unless it is deleted; else RESOURCE_DOES_NOT_EXIST with MLflow's message. */
    static LoggedModelRow requireActive(Handle h, String modelId) {
        return find(h, modelId).filter(LoggedModelRow::active).orElseThrow(() -> notFound(modelId));
    }

    static LabbookException notFound(String modelId) {
        return LabbookException.notFound("Logged model with ID '%s' not found.", modelId);
    }

    /** The artifact location of a model that exists (deleted or not), or null. */
    static String artifactLocation(Handle h, String modelId) {
        if (modelId == null) {
            return null;
        }
        return h.createQuery("SELECT artifact_location FROM logged_models WHERE model_id = ?")
                .bind(0, modelId).mapTo(String.class).findOne().orElse(null);
    }

    static void setStatus(Handle h, long modelPk, LoggedModelStatus status, long now) {
        h.createUpdate("UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_pk = ?")
                .bind(0, status.name()).bind(1, now).bind(2, modelPk).execute();
    }

    static void setLifecycle(Handle h, long modelPk, LifecycleStage stage, long now) {
        h.createUpdate("UPDATE logged_models SET lifecycle_stage = ?, last_updated_timestamp_ms = ? WHERE model_pk = ?")
                .bind(0, stage.toString()).bind(1, now).bind(2, modelPk).execute();
    }

    static void touch(Handle h, long modelPk, long now) {
        h.createUpdate("UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE model_pk = ?")
                .bind(0, now).bind(1, modelPk).execute();
    }

    /** Sets tags; the last value of a key wins. */
    static void upsertTags(Handle h, long modelPk, List<LoggedModelTag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        Map<String, String> last = new LinkedHashMap<>();
        tags.forEach(t -> last.put(t.key(), t.value()));
        PreparedBatch batch = h.prepareBatch("INSERT INTO logged_model_tags (model_pk, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (model_pk, key) DO UPDATE SET value = excluded.value");
        last.forEach((k, v) -> batch.bind(0, modelPk).bind(1, k).bind(2, v).add());
        batch.execute();
    }

    static void deleteTag(Handle h, LoggedModelRow model, String key) {
        int n = h.createUpdate("DELETE FROM logged_model_tags WHERE model_pk = ? AND key = ?")
                .bind(0, model.modelPk()).bind(1, key).execute();
        if (n == 0) {
            throw LabbookException.notFound("No tag with key '%s' found for model with ID '%s'.", key, model.modelId());
        }
    }

    /**
     * Adds params. Params are immutable, as a run's: the same value again is fine, a different
     * one fails the whole request.
     */
    static void insertParams(Handle h, LoggedModelRow model, List<LoggedModelParameter> params) {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (LoggedModelParameter p : params) {
            String prev = wanted.putIfAbsent(p.key(), p.value());
            if (prev != null && !prev.equals(p.value())) {
                throw LabbookException.invalid("Duplicate parameter keys with different values in one request: "
                        + "'%s' has values '%s' and '%s'", p.key(), prev, p.value());
            }
        }
        Map<String, String> existing = new HashMap<>();
        h.createQuery("SELECT key, value FROM logged_model_params WHERE model_pk = :pk AND key IN (<keys>)")
                .bind("pk", model.modelPk()).bindList("keys", List.copyOf(wanted.keySet()))
                .map((rs, ctx) -> existing.put(rs.getString(1), rs.getString(2))).list();
        PreparedBatch batch = h.prepareBatch("INSERT INTO logged_model_params (model_pk, key, value) VALUES (?, ?, ?)");
        boolean any = false;
        for (var e : wanted.entrySet()) {
            String old = existing.get(e.getKey());
            if (old == null) {
                batch.bind(0, model.modelPk()).bind(1, e.getKey()).bind(2, e.getValue()).add();
                any = true;
            } else if (!old.equals(e.getValue())) {
                throw LabbookException.invalid("Changing param values is not allowed. Param with key='%s' was already "
                        + "logged with value='%s' for logged model ID='%s'. Attempted logging new value '%s'.",
                        e.getKey(), old, model.modelId(), e.getValue());
            }
        }
        if (any) {
            batch.execute();
        }
    }
}
