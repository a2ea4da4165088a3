package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersionStatus;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.store.NewModelVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Reads and writes model versions and their tags; every method runs on the caller's handle. */
final class ModelVersionDao {
    /** Version keys per tag query: bounds the statement size on pages of many versions. */
    private static final int KEYS_PER_QUERY = 1000;

    private ModelVersionDao() {}

    static Optional<VersionRow> find(Handle h, long modelPk, long version) {
        return h.createQuery("SELECT " + VersionRow.COLUMNS + VersionRow.FROM + " WHERE v.model_pk = ? AND v.version = ?")
                .bind(0, modelPk).bind(1, version).map((rs, ctx) -> VersionRow.map(rs)).findOne();
    }

    /** The version, or RESOURCE_DOES_NOT_EXIST when the model or the version does not exist. */
    static VersionRow require(Handle h, String name, long version) {
        return RegisteredModelDao.find(h, name).flatMap(m -> find(h, m.pk(), version))
                .orElseThrow(() -> LabbookException.notFound("Model Version (name=%s, version=%d) not found", name, version));
    }

    static void insert(Handle h, long modelPk, long version, NewModelVersion v, long now) {
        h.createUpdate("INSERT INTO model_versions (model_pk, version, creation_time, last_updated_time, user_id,"
                        + " current_stage, description, source, run_id, status, run_link, model_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, modelPk).bind(1, version).bind(2, now).bind(3, now).bind(4, v.userId())
                .bind(5, ModelStage.NONE.toString()).bind(6, v.description()).bind(7, v.source()).bind(8, v.runId())
                .bind(9, ModelVersionStatus.READY.name()).bind(10, v.runLink()).bind(11, v.modelId())
                .execute();
    }

    static void setDescription(Handle h, VersionRow row, String description, long now) {
        h.createUpdate("UPDATE model_versions SET description = ?, last_updated_time = ? WHERE model_pk = ? AND version = ?")
                .bind(0, description).bind(1, now).bind(2, row.modelPk()).bind(3, row.version()).execute();
    }

    static void setStage(Handle h, long modelPk, long version, ModelStage stage, long now) {
        h.createUpdate("UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE model_pk = ? AND version = ?")
                .bind(0, stage.toString()).bind(1, now).bind(2, modelPk).bind(3, version).execute();
    }

    /** Moves the model's versions in {@code stage}, except {@code keep}, to Archived. */
    static void archiveOthers(Handle h, long modelPk, long keep, ModelStage stage, long now) {
        h.createUpdate("UPDATE model_versions SET current_stage = ?, last_updated_time = ?"
                        + " WHERE model_pk = ? AND current_stage = ? AND version <> ?")
                .bind(0, ModelStage.ARCHIVED.toString()).bind(1, now).bind(2, modelPk).bind(3, stage.toString()).bind(4, keep)
                .execute();
    }

    /** Deletes the version, its tags and the aliases pointing at it (children first, see RegisteredModelDao#delete). */
    static void delete(Handle h, long modelPk, long version) {
        AliasDao.deleteForVersion(h, modelPk, version);
        for (String table : List.of("model_version_tags", "model_versions")) {
            h.createUpdate("DELETE FROM " + table + " WHERE model_pk = ? AND version = ?").bind(0, modelPk).bind(1, version).execute();
        }
    }

    static void setTag(Handle h, long modelPk, long version, ModelVersionTag tag) {
        h.createUpdate("INSERT INTO model_version_tags (model_pk, version, key, value) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (model_pk, version, key) DO UPDATE SET value = excluded.value")
                .bind(0, modelPk).bind(1, version).bind(2, tag.key()).bind(3, tag.value()).execute();
    }

    static void deleteTag(Handle h, long modelPk, long version, String key) {
        h.createUpdate("DELETE FROM model_version_tags WHERE model_pk = ? AND version = ? AND key = ?")
                .bind(0, modelPk).bind(1, version).bind(2, key).execute();
    }

    /** The tags of each version, sorted by key. */
    static Map<VersionRow.Key, List<ModelVersionTag>> tags(Handle h, List<VersionRow.Key> keys) {
        Map<VersionRow.Key, List<ModelVersionTag>> out = new HashMap<>();
        for (List<VersionRow.Key> chunk : SqlLists.chunks(keys, KEYS_PER_QUERY)) {
            String values = chunk.stream().map(k -> "(" + k.modelPk() + "," + k.version() + ")").collect(Collectors.joining(","));
            h.createQuery("SELECT model_pk, version, key, value FROM model_version_tags"
                            + " WHERE (model_pk, version) IN (VALUES " + values + ") ORDER BY key")
                    .map((rs, ctx) -> out.computeIfAbsent(new VersionRow.Key(rs.getLong(1), rs.getLong(2)), k -> new ArrayList<>())
                            .add(new ModelVersionTag(rs.getString(3), rs.getString(4))))
                    .list();
        }
        return out;
    }

    /** Of each model, per stage, the highest READY version (in no particular order). */
    static List<VersionRow> latest(Handle h, List<Long> modelPks) {
        if (modelPks.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + VersionRow.COLUMNS + VersionRow.FROM
                        + " WHERE v.model_pk IN (" + SqlLists.ids(modelPks) + ") AND v.status = 'READY'"
                        + " AND v.version = (SELECT MAX(x.version) FROM model_versions x WHERE x.model_pk = v.model_pk"
                        + " AND x.current_stage = v.current_stage AND x.status = 'READY')")
                .map((rs, ctx) -> VersionRow.map(rs)).list();
    }
}
