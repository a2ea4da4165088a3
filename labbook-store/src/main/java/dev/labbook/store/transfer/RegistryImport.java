package dev.labbook.store.transfer;

import static dev.labbook.store.transfer.SourceDatabase.asLong;
import static dev.labbook.store.transfer.SourceDatabase.asString;

import dev.labbook.core.LabbookException;
import dev.labbook.store.transfer.MlflowImport.ImportContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * MLflow's model registry: registered models (with their tags), model versions with their
 * numbers (and tags), aliases. MLflow soft-deletes a version by giving it the stage
 * {@code Deleted_Internal}; those are not imported, but their numbers count towards the highest
 * number handed out, so that {@code models:/NAME/N} never comes to mean another version.
 */
final class RegistryImport {
    static final String MODELS = "registered models";
    static final String VERSIONS = "model versions";
    private static final String DELETED_STAGE = "Deleted_Internal";
    private final ImportContext ctx;
    private final Map<String, String> runUris;

    /** @param runUris each run's MLflow artifact URI mapped to its Labbook one */
    RegistryImport(ImportContext ctx, Map<String, String> runUris) {
        this.ctx = ctx;
        this.runUris = runUris;
    }

    void run() {
        SourceDatabase src = ctx.src;
        if (!src.hasTable("registered_models")) {
            return;
        }
        List<Object[]> models = src.rows("SELECT name, creation_time, last_updated_time, description FROM registered_models ORDER BY name");
        Map<String, Long> highest = new HashMap<>();
        List<Object[]> versions = List.of();
        if (src.hasTable("model_versions")) {
            for (Object[] r : src.rows("SELECT name, MAX(version) FROM model_versions GROUP BY name")) {
                highest.put(asString(r[0]), asLong(r[1]));
            }
            versions = src.rows("SELECT name, version, creation_time, last_updated_time, description, user_id, current_stage,"
                    + " source, run_id, status, status_message, " + src.columnOr("model_versions", "run_link", "NULL") + ", "
                    + src.columnOr("model_versions", "model_id", "NULL") + " FROM model_versions ORDER BY name, version");
        }
        List<Object[]> modelTags = src.hasTable("registered_model_tags")
                ? src.rows("SELECT name, key, value FROM registered_model_tags ORDER BY name, key") : List.of();
        List<Object[]> versionTags = src.hasTable("model_version_tags")
                ? src.rows("SELECT name, version, key, value FROM model_version_tags ORDER BY name, version, key") : List.of();
        List<Object[]> aliases = src.hasTable("registered_model_aliases")
                ? src.rows("SELECT name, alias, version FROM registered_model_aliases ORDER BY name, alias") : List.of();
        List<Object[]> allVersions = versions;
        ctx.db.write(h -> {
            Map<String, Long> pks = new HashMap<>();
            for (Object[] m : models) {
                String name = asString(m[0]);
                pks.put(name, model(h, m, highest.getOrDefault(name, 0L)));
            }
            for (Object[] v : allVersions) {
                if (!DELETED_STAGE.equals(asString(v[6])) && pks.containsKey(asString(v[0]))) {
                    version(h, pks.get(asString(v[0])), v);
                }
            }
            for (Object[] t : modelTags) {
                Long pk = pks.get(asString(t[0]));
                if (pk != null) {
                    int n = h.createUpdate("INSERT INTO registered_model_tags (model_pk, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                            .bind(0, pk).bind(1, asString(t[1])).bind(2, asString(t[2])).execute();
                    count("registered model tags", n);
                }
            }
            for (Object[] t : versionTags) {
                Long pk = pks.get(asString(t[0]));
                if (pk != null && versionExists(h, pk, asLong(t[1]))) {
                    int n = h.createUpdate("INSERT INTO model_version_tags (model_pk, version, key, value) VALUES (?, ?, ?, ?)"
                                    + " ON CONFLICT DO NOTHING")
                            .bind(0, pk).bind(1, asLong(t[1])).bind(2, asString(t[2])).bind(3, asString(t[3])).execute();
                    count("model version tags", n);
                }
            }
            for (Object[] a : aliases) {
                Long pk = pks.get(asString(a[0]));
                if (pk != null && versionExists(h, pk, asLong(a[2]))) {
                    // an alias that moved in MLflow since the last import follows it
                    int n = h.createUpdate("INSERT INTO registered_model_aliases (model_pk, alias, version) VALUES (?, ?, ?)"
                                    + " ON CONFLICT (model_pk, alias) DO UPDATE SET version = excluded.version"
                                    + " WHERE registered_model_aliases.version <> excluded.version")
                            .bind(0, pk).bind(1, asString(a[1])).bind(2, asLong(a[2])).execute();
                    count("aliases", n);
                }
            }
            return null;
        });
        ctx.progress.accept(String.format("registered models: %,d, model versions: %,d", models.size(), versions.size()));
    }

    private long model(Handle h, Object[] m, long highestVersion) {
        String name = asString(m[0]);
        Optional<Long> pk = h.createQuery("SELECT model_pk FROM registered_models WHERE name = ?").bind(0, name)
                .mapTo(Long.class).findOne();
        if (pk.isPresent()) {
            h.createUpdate("UPDATE registered_models SET last_version = ? WHERE model_pk = ? AND last_version < ?")
                    .bind(0, highestVersion).bind(1, pk.get()).bind(2, highestVersion).execute();
            ctx.tally.present(MODELS, 1);
            return pk.get();
        }
        long created = m[1] == null ? System.currentTimeMillis() : asLong(m[1]);
        long id = h.createUpdate("INSERT INTO registered_models (name, description, creation_time, last_updated_time, last_version)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .bind(0, name).bind(1, asString(m[3])).bind(2, created).bind(3, m[2] == null ? created : asLong(m[2]))
                .bind(4, highestVersion).executeAndReturnGeneratedKeys("model_pk").mapTo(Long.class).one();
        ctx.tally.added(MODELS, 1);
        return id;
    }

    private void version(Handle h, long modelPk, Object[] v) {
        long number = asLong(v[1]);
        String runId = asString(v[8]);
        String source = source(asString(v[7]));
        Optional<String[]> existing = h.createQuery("SELECT source, run_id FROM model_versions WHERE model_pk = ? AND version = ?")
                .bind(0, modelPk).bind(1, number).map((rs, c) -> new String[] {rs.getString(1), rs.getString(2)}).findOne();
        if (existing.isPresent()) {
            if (!Objects.equals(existing.get()[0], source) || !Objects.equals(emptyToNull(existing.get()[1]), emptyToNull(runId))) {
                throw LabbookException.invalid("Version %d of model '%s' comes from %s in MLflow but from %s in the Labbook store",
                        number, asString(v[0]), source, existing.get()[0]);
            }
            ctx.tally.present(VERSIONS, 1);
            return;
        }
        long created = v[2] == null ? System.currentTimeMillis() : asLong(v[2]);
        h.createUpdate("INSERT INTO model_versions (model_pk, version, creation_time, last_updated_time, user_id, current_stage,"
                        + " description, source, run_id, status, status_message, run_link, model_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, modelPk).bind(1, number).bind(2, created).bind(3, v[3] == null ? created : asLong(v[3]))
                .bind(4, asString(v[5])).bind(5, v[6] == null ? "None" : asString(v[6])).bind(6, asString(v[4]))
                .bind(7, source).bind(8, runId).bind(9, v[9] == null ? "READY" : asString(v[9]))
                .bind(10, asString(v[10])).bind(11, asString(v[11])).bind(12, asString(v[12])).execute();
        ctx.tally.added(VERSIONS, 1);
    }

    /**
     * A version's source, with a prefix that is a run's MLflow artifact location replaced by the
     * run's Labbook location ({@code file:///.../mlruns/1/ID/artifacts/model} becomes
     * {@code mlflow-artifacts:/1/ID/artifacts/model}, where the files were copied).
     */
    private String source(String source) {
        if (source == null) {
            return "";
        }
        String best = null;
        for (String from : runUris.keySet()) {
            if ((source.equals(from) || source.startsWith(from.endsWith("/") ? from : from + "/"))
                    && (best == null || from.length() > best.length())) {
                best = from;
            }
        }
        return best == null ? source : runUris.get(best) + source.substring(best.length());
    }

    private static boolean versionExists(Handle h, long modelPk, long version) {
        return h.createQuery("SELECT 1 FROM model_versions WHERE model_pk = ? AND version = ?").bind(0, modelPk).bind(1, version)
                .mapTo(Integer.class).findOne().isPresent();
    }

    private void count(String kind, int inserted) {
        if (inserted > 0) {
            ctx.tally.added(kind, 1);
        } else {
            ctx.tally.present(kind, 1);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
