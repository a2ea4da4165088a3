package dev.labbook.store.jdbc;

import dev.labbook.core.registry.RegisteredModelAlias;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads and writes the aliases of registered models. */
final class AliasDao {
    private AliasDao() {}

    /** Points the alias at {@code version}, replacing where it pointed before. */
    static void set(Handle h, long modelPk, String alias, long version) {
        h.createUpdate("INSERT INTO registered_model_aliases (model_pk, alias, version) VALUES (?, ?, ?)"
                        + " ON CONFLICT (model_pk, alias) DO UPDATE SET version = excluded.version")
                .bind(0, modelPk).bind(1, alias).bind(2, version).execute();
    }

    static void delete(Handle h, long modelPk, String alias) {
        h.createUpdate("DELETE FROM registered_model_aliases WHERE model_pk = ? AND alias = ?")
                .bind(0, modelPk).bind(1, alias).execute();
    }

    static void deleteForVersion(Handle h, long modelPk, long version) {
        h.createUpdate("DELETE FROM registered_model_aliases WHERE model_pk = ? AND version = ?")
                .bind(0, modelPk).bind(1, version).execute();
    }

    /** The version number the alias points at. */
    static Optional<Long> version(Handle h, long modelPk, String alias) {
        return h.createQuery("SELECT version FROM registered_model_aliases WHERE model_pk = ? AND alias = ?")
                .bind(0, modelPk).bind(1, alias).mapTo(Long.class).findOne();
    }

    /** The aliases of each model, sorted by alias. */
    static Map<Long, List<RegisteredModelAlias>> of(Handle h, List<Long> pks) {
        Map<Long, List<RegisteredModelAlias>> out = new HashMap<>();
        if (pks.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT model_pk, alias, version FROM registered_model_aliases WHERE model_pk IN ("
                        + SqlLists.ids(pks) + ") ORDER BY alias")
                .map((rs, ctx) -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new RegisteredModelAlias(rs.getString(2), Long.toString(rs.getLong(3)))))
                .list();
        return out;
    }
}
