package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.LifecycleStage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads and writes experiments and their tags; every method runs on the caller's handle. */
final class ExperimentDao {
    static final String COLUMNS =
            "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    private ExperimentDao() {}

    static long insert(Handle h, String name, String artifactLocation, long now) {
        // ON CONFLICT: of two concurrent creates of one name (on PostgreSQL), the second finds the
        // first's row here, rather than failing on the unique index
        int inserted = h.createUpdate("INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                        + " VALUES (?, ?, 'active', ?, ?) ON CONFLICT (name) DO NOTHING")
                .bind(0, name).bind(1, artifactLocation).bind(2, now).bind(3, now).execute();
        if (inserted == 0) {
            throw LabbookException.exists("Experiment(name=%s) already exists.", name);
        }
        return h.createQuery("SELECT experiment_id FROM experiments WHERE name = ?").bind(0, name).mapTo(Long.class).one();
    }

    /** Creates MLflow's "Default" experiment (id 0) in a new database. */
    static void ensureDefault(Handle h, long now) {
        h.createUpdate("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                        + " VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, now).bind(1, now).execute();
    }

    static void setArtifactLocation(Handle h, long id, String location) {
        h.createUpdate("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?")
                .bind(0, location).bind(1, id).execute();
    }

    static Optional<Experiment> get(Handle h, long id) {
        return list(h, "SELECT " + COLUMNS + " FROM experiments WHERE experiment_id = ?", id).stream().findFirst();
    }

    static Optional<Experiment> getByName(Handle h, String name) {
        return list(h, "SELECT " + COLUMNS + " FROM experiments WHERE name = ?", name).stream().findFirst();
    }

    /** The experiment, or RESOURCE_DOES_NOT_EXIST. */
    static Experiment require(Handle h, String id) {
        return Ids.experiment(id).stream().boxed().findFirst().flatMap(n -> get(h, n))
                .orElseThrow(() -> LabbookException.notFound("No Experiment with id=%s exists", id));
    }

    /** Runs {@code sql} (selecting {@link #COLUMNS}) and attaches each experiment's tags. */
    static List<Experiment> list(Handle h, String sql, Object... args) {
        var q = h.createQuery(sql);
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        List<Object[]> rows = q.map((rs, ctx) -> row(rs)).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<ExperimentTag>> tags = tags(h, rows);
        List<Experiment> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long id = (Long) r[0];
            out.add(new Experiment(Long.toString(id), (String) r[1], (String) r[2],
                    LifecycleStage.parse((String) r[3]), (Long) r[4], (Long) r[5],
                    tags.getOrDefault(id, List.of())));
        }
        return out;
    }

    private static Object[] row(ResultSet rs) throws SQLException {
        return new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6)};
    }

    private static Map<Long, List<ExperimentTag>> tags(Handle h, List<Object[]> rows) {
        StringBuilder in = new StringBuilder();
        for (Object[] r : rows) {
            in.append(in.length() == 0 ? "" : ",").append((long) (Long) r[0]);
        }
        Map<Long, List<ExperimentTag>> out = new HashMap<>();
        h.createQuery("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (" + in + ") ORDER BY key")
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new ExperimentTag(rs.getString(2), rs.getString(3)));
                    return null;
                }).list();
        return out;
    }

    static void rename(Handle h, long id, String newName, long now) {
        Optional<Experiment> clash = getByName(h, newName);
        if (clash.isPresent() && !clash.get().experimentId().equals(Long.toString(id))) {
            throw LabbookException.exists("Experiment(name=%s) already exists.", newName);
        }
        h.createUpdate("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?")
                .bind(0, newName).bind(1, now).bind(2, id).execute();
    }

    static void setTag(Handle h, long id, ExperimentTag tag) {
        h.createUpdate("INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value")
                .bind(0, id).bind(1, tag.key()).bind(2, tag.value()).execute();
    }

    /** Deletes a tag; false when the experiment had none of that key. */
    static boolean deleteTag(Handle h, long id, String key) {
        return h.createUpdate("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?")
                .bind(0, id).bind(1, key).execute() > 0;
    }

    /**
     * Deletes or restores an experiment with its runs. Runs deleted together with the
     * experiment carry its deletion time, so a restore brings back exactly those and not runs
     * deleted on their own before. That time is therefore made later than the deletion time of
     * every run already deleted: a run deleted in the same millisecond as its experiment must
     * not look as if it had been deleted with it.
     */
    static void setLifecycle(Handle h, long id, LifecycleStage stage, long now) {
        RunDao.lockRunsOf(h, id); // the runs rows, then the change counter: the order every writer locks in
        Dialect.lockChangeNumbers(h);
        if (stage == LifecycleStage.DELETED) {
            long latestRunDeletion = h.createQuery(
                            "SELECT COALESCE(MAX(deleted_time), -1) FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'deleted'")
                    .bind(0, id).mapTo(Long.class).one();
            long stamp = Math.max(now, latestRunDeletion + 1);
            h.createUpdate("UPDATE experiments SET lifecycle_stage = 'deleted', deleted_time = ?, last_update_time = ? WHERE experiment_id = ?")
                    .bind(0, stamp).bind(1, now).bind(2, id).execute();
            h.createUpdate("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = 'active'")
                    .bind(0, stamp).bind(1, id).execute();
        } else {
            Long deletedAt = h.createQuery("SELECT deleted_time FROM experiments WHERE experiment_id = ?")
                    .bind(0, id).mapTo(Long.class).findOne().orElse(null);
            h.createUpdate("UPDATE experiments SET lifecycle_stage = 'active', deleted_time = NULL, last_update_time = ? WHERE experiment_id = ?")
                    .bind(0, now).bind(1, id).execute();
            if (deletedAt != null) {
                h.createUpdate("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ? AND deleted_time = ?")
                        .bind(0, id).bind(1, deletedAt).execute();
            }
        }
    }

    static void touch(Handle h, long id, long now) {
        h.createUpdate("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?").bind(0, now).bind(1, id).execute();
    }
}
