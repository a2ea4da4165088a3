package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Reads and writes runs, their params and their tags. */
final class RunDao {
    /** MLflow keeps a run's name in this tag too; the two are kept in step. */
    static final String RUN_NAME_TAG = "mlflow.runName";

    private RunDao() {}

    static long insert(Handle h, String uuid, long experimentId, String name, String userId, long startTime, String artifactUri) {
        return h.createUpdate("INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)"
                        + " VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, 'active')")
                .bind(0, uuid).bind(1, experimentId).bind(2, name).bind(3, userId).bind(4, startTime).bind(5, artifactUri)
                .executeAndReturnGeneratedKeys("run_pk").mapTo(Long.class).one();
    }

    /**
     * Gives the run the next change number, as the database's triggers do for writes to runs,
     * params and tags (see the V4 migration). The latest metrics are numbered here instead, once
     * per log-batch rather than once per metric key: that is the ingestion path. A run that alone
     * holds the highest number keeps it: readers ask for the runs numbered at or above the highest
     * number they saw, so they see this change too, and a run logging on its own writes no runs row
     * (nor index page) per batch.
     *
     * <p>The numbers live in the database, so they hold across replicas as long as writers that
     * number runs take turns, as SQLite's write lock makes them do across processes: a database
     * where writers run side by side (PostgreSQL) must serialize the numbering, so that numbers
     * follow the commits.
     */
    static void changed(java.sql.Connection c, Dialect dialect, long runPk) throws java.sql.SQLException {
        var ps = StatementCache.get(c, dialect.numberChangedRun());
        ps.setLong(1, runPk);
        ps.executeUpdate();
    }

    static Optional<RunRow> find(Handle h, String runId) {
        return h.createQuery("SELECT " + RunRow.COLUMNS + " FROM runs r WHERE r.run_uuid = ?")
                .bind(0, runId).map((rs, ctx) -> RunRow.map(rs)).findOne();
    }

    /** The run, or RESOURCE_DOES_NOT_EXIST. */
    static RunRow require(Handle h, String runId) {
        return find(h, runId).orElseThrow(() -> LabbookException.notFound("Run with id=%s not found", runId));
    }

    /** The run if it may be written to: MLflow refuses writes to deleted runs. */
    static RunRow requireActive(Handle h, String runId) {
        return active(require(h, runId), runId);
    }

    /**
     * The run if it may be written to, locked until the transaction ends (see {@link #findLocked}).
     */
    static RunRow requireActiveLocked(Handle h, String runId) {
        return active(requireLocked(h, runId), runId);
    }

    /** The run, deleted or not, locked until the transaction ends (see {@link #findLocked}); or RESOURCE_DOES_NOT_EXIST. */
    static RunRow requireLocked(Handle h, String runId) {
        return findLocked(h, runId).orElseThrow(() -> LabbookException.notFound("Run with id=%s not found", runId));
    }

    /**
     * The run, locked until the transaction ends: the first thing a write to an existing run
     * does, so that writers of one run, in this process or in another replica on the same
     * database, take turns on the run row before any other lock. On PostgreSQL that is the run
     * row's lock ({@code FOR UPDATE}), and every writer takes its locks in one order: the runs
     * rows (several in run_pk order), then the change counter ({@link Dialect#lockChangeNumbers},
     * the triggers, {@link #changed}), then rows of the run's own (its metric series, tags,
     * params), which no writer of another run touches. Without the run lock first, a log-batch
     * holding a series row and waiting for the counter, and one of the same run holding the counter
     * (its tags' trigger) and waiting for that series row, would deadlock. On a single-writer
     * database (SQLite) the write transaction already holds the database's write lock, across
     * processes, from its first statement.
     */
    static Optional<RunRow> findLocked(Handle h, String runId) {
        if (Dialect.of(h).singleWriter()) {
            return find(h, runId);
        }
        return h.createQuery("SELECT " + RunRow.COLUMNS + " FROM runs r WHERE r.run_uuid = ? FOR UPDATE")
                .bind(0, runId).map((rs, ctx) -> RunRow.map(rs)).findOne();
    }

    /** Locks the runs of an experiment, in run_pk order (see {@link #findLocked}); nothing on SQLite. */
    static void lockRunsOf(Handle h, long experimentId) {
        if (!Dialect.of(h).singleWriter()) {
            h.createQuery("SELECT run_pk FROM runs WHERE experiment_id = ? ORDER BY run_pk FOR UPDATE")
                    .bind(0, experimentId).mapTo(Long.class).list();
        }
    }

    private static RunRow active(RunRow row, String runId) {
        if (!row.active()) {
            throw LabbookException.invalid(
                    "The run %s must be in the 'active' state. Current state is deleted.", runId);
        }
        return row;
    }

    static void update(Handle h, long runPk, RunStatus status, Long endTime, String name) {
        Dialect.lockChangeNumbers(h);
        h.createUpdate("UPDATE runs SET status = COALESCE(?, status), end_time = COALESCE(?, end_time), name = COALESCE(?, name) WHERE run_pk = ?")
                .bind(0, status == null ? null : status.name()).bind(1, endTime).bind(2, name).bind(3, runPk).execute();
        if (name != null) {
            upsertTags(h, runPk, List.of(new RunTag(RUN_NAME_TAG, name)));
        }
    }

    static void setLifecycle(Handle h, long runPk, LifecycleStage stage, long now) {
        Dialect.lockChangeNumbers(h);
        h.createUpdate("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_pk = ?")
                .bind(0, stage.toString()).bind(1, stage == LifecycleStage.DELETED ? now : null).bind(2, runPk).execute();
    }

    /**
     * Inserts params, enforcing MLflow's write-once rule: the same value again is fine, a
     * different one fails the whole batch.
     */
    static void insertParams(Handle h, RunRow run, List<Param> params) {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Param p : params) {
            String prev = wanted.putIfAbsent(p.key(), p.value());
            if (prev != null && !prev.equals(p.value())) {
                throw LabbookException.invalid(
                        "Duplicate parameter keys with different values in one batch: '%s' has values '%s' and '%s'",
                        p.key(), prev, p.value());
            }
        }
        Map<String, String> existing = new HashMap<>();
        var q = h.createQuery("SELECT key, value FROM params WHERE run_pk = :pk AND key IN (<keys>)")
                .bind("pk", run.runPk()).bindList("keys", new ArrayList<>(wanted.keySet()));
        q.map((rs, ctx) -> existing.put(rs.getString(1), rs.getString(2))).list();
        // ON CONFLICT and the check after it: a concurrent writer (on PostgreSQL) may have logged one
        // of these keys since the read above
        PreparedBatch batch = h.prepareBatch("INSERT INTO params (run_pk, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        boolean any = false;
        for (var e : wanted.entrySet()) {
            String old = existing.get(e.getKey());
            if (old == null) {
                batch.bind(0, run.runPk()).bind(1, e.getKey()).bind(2, e.getValue()).add();
                any = true;
            } else if (!old.equals(e.getValue())) {
                throw LabbookException.invalid(
                        "Changing param values is not allowed. Param with key='%s' was already logged with value='%s' for run ID='%s'. Attempted logging new value '%s'.",
                        e.getKey(), old, run.info().runId(), e.getValue());
            }
        }
        if (any) {
            batch.execute();
            if (!Dialect.of(h).singleWriter()) {
                Map<String, String> stored = new HashMap<>();
                h.createQuery("SELECT key, value FROM params WHERE run_pk = :pk AND key IN (<keys>)")
                        .bind("pk", run.runPk()).bindList("keys", new ArrayList<>(wanted.keySet()))
                        .map((rs, ctx) -> stored.put(rs.getString(1), rs.getString(2))).list();
                for (var e : wanted.entrySet()) {
                    String now = stored.get(e.getKey());
                    if (now != null && !now.equals(e.getValue())) {
                        throw LabbookException.invalid(
                                "Changing param values is not allowed. Param with key='%s' was already logged with value='%s' for run ID='%s'. Attempted logging new value '%s'.",
                                e.getKey(), now, run.info().runId(), e.getValue());
                    }
                }
            }
        }
    }

    /** Sets tags (last one wins); setting mlflow.runName renames the run, as in MLflow. */
    static void upsertTags(Handle h, long runPk, List<RunTag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO tags (run_pk, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value");
        Map<String, String> last = new LinkedHashMap<>();
        for (RunTag t : tags) {
            last.put(t.key(), t.value());
        }
        for (var e : last.entrySet()) {
            batch.bind(0, runPk).bind(1, e.getKey()).bind(2, e.getValue()).add();
        }
        batch.execute();
        String name = last.get(RUN_NAME_TAG);
        if (name != null) {
            Dialect.lockChangeNumbers(h);
            h.createUpdate("UPDATE runs SET name = ? WHERE run_pk = ?").bind(0, name).bind(1, runPk).execute();
        }
    }

    static void deleteTag(Handle h, RunRow run, String key) {
        int n = h.createUpdate("DELETE FROM tags WHERE run_pk = ? AND key = ?").bind(0, run.runPk()).bind(1, key).execute();
        if (n == 0) {
            throw LabbookException.notFound("No tag with name: %s in run with id %s", key, run.info().runId());
        }
    }
}
