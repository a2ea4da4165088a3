package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.registry.RegisteredModelTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads and writes registered models and their tags; every method runs on the caller's handle. */
final class RegisteredModelDao {
    private RegisteredModelDao() {}

    static Optional<ModelRow> find(Handle h, String name) {
        return h.createQuery("SELECT " + ModelRow.COLUMNS + " FROM registered_models m WHERE m.name = ?")
                .bind(0, name).map((rs, ctx) -> ModelRow.map(rs)).findOne();
    }

    /** The model, or RESOURCE_DOES_NOT_EXIST. */
    static ModelRow require(Handle h, String name) {
        return find(h, name).orElseThrow(() -> LabbookException.notFound("Registered Model with name=%s not found", name));
    }

    static long insert(Handle h, String name, String description, long now) {
        // ON CONFLICT: two concurrent creates of one name (on PostgreSQL) give one model and one error
        int inserted = h.createUpdate("INSERT INTO registered_models (name, description, creation_time, last_updated_time)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")
                .bind(0, name).bind(1, description).bind(2, now).bind(3, now).execute();
        if (inserted == 0) {
            throw LabbookException.exists("Registered Model (name=%s) already exists.", name);
        }
        return h.createQuery("SELECT model_pk FROM registered_models WHERE name = ?").bind(0, name).mapTo(Long.class).one();
    }

    /** Renames the model; versions, tags and aliases hang off its key and follow. */
    static void rename(Handle h, ModelRow model, String newName, long now) {
        Optional<ModelRow> clash = find(h, newName);
        if (clash.isPresent() && clash.get().pk() != model.pk()) {
            throw LabbookException.exists("Registered Model (name=%s) already exists.", newName);
        }
        h.createUpdate("UPDATE registered_models SET name = ?, last_updated_time = ? WHERE model_pk = ?")
                .bind(0, newName).bind(1, now).bind(2, model.pk()).execute();
        // MLflow marks every version as updated by a rename: their name changed.
        h.createUpdate("UPDATE model_versions SET last_updated_time = ? WHERE model_pk = ?")
                .bind(0, now).bind(1, model.pk()).execute();
    }

    static void setDescription(Handle h, long pk, String description, long now) {
        h.createUpdate("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE model_pk = ?")
                .bind(0, description).bind(1, now).bind(2, pk).execute();
    }

    static void touch(Handle h, long pk, long now) {
        h.createUpdate("UPDATE registered_models SET last_updated_time = ? WHERE model_pk = ?").bind(0, now).bind(1, pk).execute();
    }

    /** Hands out the model's next version number: one more than any number it ever had. */
    static long nextVersion(Handle h, long pk, long now) {
        h.createUpdate("UPDATE registered_models SET last_version = last_version + 1, last_updated_time = ? WHERE model_pk = ?")
                .bind(0, now).bind(1, pk).execute();
        return h.createQuery("SELECT last_version FROM registered_models WHERE model_pk = ?")
                .bind(0, pk).mapTo(Long.class).one();
    }

    /**
     * Deletes the model and everything under it. The children are deleted explicitly, children
     * first, rather than through ON DELETE CASCADE, so the result does not depend on whether the
     * connection enforces foreign keys.
     */
    static void delete(Handle h, long pk) {
        for (String table : List.of("registered_model_aliases", "model_version_tags", "model_versions",
                "registered_model_tags", "registered_models")) {
            h.createUpdate("DELETE FROM " + table + " WHERE model_pk = ?").bind(0, pk).execute();
        }
    }

    static void setTag(Handle h, long pk, RegisteredModelTag tag) {
        h.createUpdate("INSERT INTO registered_model_tags (model_pk, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (model_pk, key) DO UPDATE SET value = excluded.value")
                .bind(0, pk).bind(1, tag.key()).bind(2, tag.value()).execute();
    }

    static void deleteTag(Handle h, long pk, String key) {
        h.createUpdate("DELETE FROM registered_model_tags WHERE model_pk = ? AND key = ?").bind(0, pk).bind(1, key).execute();
    }

    /** The tags of each model, sorted by key. */
    static Map<Long, List<RegisteredModelTag>> tags(Handle h, List<Long> pks) {
        Map<Long, List<RegisteredModelTag>> out = new HashMap<>();
        if (pks.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT model_pk, key, value FROM registered_model_tags WHERE model_pk IN (" + SqlLists.ids(pks) + ") ORDER BY key")
                .map((rs, ctx) -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new RegisteredModelTag(rs.getString(2), rs.getString(3))))
                .list();
        return out;
    }
}
