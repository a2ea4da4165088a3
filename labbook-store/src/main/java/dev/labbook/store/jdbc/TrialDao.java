package dev.labbook.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.LabbookException;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.prune.TrialHistory;
import dev.labbook.sweep.space.Values;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/** Reads and writes sweep trials and their intermediate values. */
final class TrialDao {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "trial_id, sweep_id, number, state, params, run_uuid, agent_id, lease_expiry,"
            + " attempt, retry_of, value, start_time, end_time, pruned_at_step";

    private TrialDao() {}

    static void insert(Handle h, Trial t) {
        h.createUpdate("INSERT INTO sweep_trials (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, t.trialId()).bind(1, t.sweepId()).bind(2, t.number()).bind(3, t.state().name())
                .bind(4, json(t.params())).bind(5, t.runId()).bind(6, t.agentId()).bind(7, t.leaseExpiry())
                .bind(8, t.attempt()).bind(9, t.retryOf()).bind(10, t.value()).bind(11, t.startTime())
                .bind(12, t.endTime()).bind(13, t.prunedAtStep())
                .execute();
    }

    /** Writes every mutable field of {@code t} (identified by its id). */
    static void update(Handle h, Trial t) {
        h.createUpdate("UPDATE sweep_trials SET state = ?, run_uuid = ?, agent_id = ?, lease_expiry = ?, value = ?,"
                        + " start_time = ?, end_time = ?, pruned_at_step = ? WHERE trial_id = ?")
                .bind(0, t.state().name()).bind(1, t.runId()).bind(2, t.agentId()).bind(3, t.leaseExpiry())
                .bind(4, t.value()).bind(5, t.startTime()).bind(6, t.endTime()).bind(7, t.prunedAtStep())
                .bind(8, t.trialId()).execute();
    }

    static Optional<Trial> find(Handle h, String trialId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweep_trials WHERE trial_id = ?").bind(0, trialId)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    static Trial require(Handle h, String trialId) {
        return find(h, trialId).orElseThrow(() -> LabbookException.notFound("No sweep trial with id=%s exists", trialId));
    }

    static List<Trial> list(Handle h, String sweepId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweep_trials WHERE sweep_id = ? ORDER BY number")
                .bind(0, sweepId).map((rs, ctx) -> map(rs)).list();
    }

    /** The trials in {@code state}, by number. */
    static List<Trial> inState(Handle h, String sweepId, TrialState state) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweep_trials WHERE sweep_id = ? AND state = ? ORDER BY number")
                .bind(0, sweepId).bind(1, state.name()).map((rs, ctx) -> map(rs)).list();
    }

    /**
     * The first queued trial, locked for this transaction, skipping any another claimer holds
     * (on PostgreSQL, {@code FOR UPDATE SKIP LOCKED}): two claimers never take the same trial,
     * and neither waits for the other's.
     */
    static Optional<Trial> firstQueued(Handle h, String sweepId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweep_trials WHERE sweep_id = ? AND state = 'QUEUED'"
                        + " ORDER BY number LIMIT 1" + Dialect.of(h).skipLocked())
                .bind(0, sweepId).map((rs, ctx) -> map(rs)).findOne();
    }

    /**
     * The running trials whose lease ended before {@code now}, by number, locked for this
     * transaction and skipping those another transaction holds (which that one is renewing or
     * expiring): each expired trial is failed and retried by one transaction only.
     */
    static List<Trial> expiredLeases(Handle h, String sweepId, long now) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweep_trials WHERE sweep_id = ? AND state = 'RUNNING'"
                        + " AND lease_expiry IS NOT NULL AND lease_expiry < ? ORDER BY number" + Dialect.of(h).skipLocked())
                .bind(0, sweepId).bind(1, now).map((rs, ctx) -> map(rs)).list();
    }

    static int nextNumber(Handle h, String sweepId) {
        return h.createQuery("SELECT COALESCE(MAX(number) + 1, 0) FROM sweep_trials WHERE sweep_id = ?")
                .bind(0, sweepId).mapTo(Integer.class).one();
    }

    /** First attempts so far: what run_cap counts and what numbers the sampler's draws. */
    static int firstAttempts(Handle h, String sweepId) {
        return h.createQuery("SELECT COUNT(*) FROM sweep_trials WHERE sweep_id = ? AND retry_of IS NULL")
                .bind(0, sweepId).mapTo(Integer.class).one();
    }

    /** Trials running or waiting to run. */
    static int unfinished(Handle h, String sweepId) {
        return h.createQuery("SELECT COUNT(*) FROM sweep_trials WHERE sweep_id = ? AND state IN ('QUEUED', 'RUNNING')")
                .bind(0, sweepId).mapTo(Integer.class).one();
    }

    /** Records an intermediate value; a step reported again keeps the latest value. */
    static void putValue(Handle h, String trialId, long step, double value) {
        h.createUpdate("INSERT INTO trial_values (trial_id, step, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value")
                .bind(0, trialId).bind(1, step).bind(2, value).execute();
    }

    /** Every trial's intermediate values, for the pruner. */
    static List<TrialHistory> histories(Handle h, String sweepId) {
        Map<String, Object[]> byTrial = new LinkedHashMap<>();
        h.createQuery("SELECT t.trial_id, t.number, t.state, v.step, v.value FROM sweep_trials t"
                        + " LEFT JOIN trial_values v ON v.trial_id = t.trial_id WHERE t.sweep_id = ? ORDER BY t.number, v.step")
                .bind(0, sweepId)
                .map((rs, ctx) -> {
                    Object[] e = byTrial.computeIfAbsent(rs.getString(1), k -> new Object[3]);
                    if (e[0] == null) {
                        e[0] = rs.getInt(2);
                        e[1] = TrialState.valueOf(rs.getString(3));
                        e[2] = new TreeMap<Long, Double>();
                    }
                    long step = rs.getLong(4);
                    if (!rs.wasNull()) {
                        @SuppressWarnings("unchecked")
                        TreeMap<Long, Double> values = (TreeMap<Long, Double>) e[2];
                        values.put(step, rs.getDouble(5));
                    }
                    return null;
                })
                .list();
        List<TrialHistory> out = new ArrayList<>();
        for (Object[] e : byTrial.values()) {
            @SuppressWarnings("unchecked")
            TreeMap<Long, Double> values = (TreeMap<Long, Double>) e[2];
            out.add(new TrialHistory((Integer) e[0], (TrialState) e[1], values));
        }
        return out;
    }

    /** A trial's intermediate values by step. */
    static TreeMap<Long, Double> values(Handle h, String trialId) {
        TreeMap<Long, Double> out = new TreeMap<>();
        h.createQuery("SELECT step, value FROM trial_values WHERE trial_id = ?").bind(0, trialId)
                .map((rs, ctx) -> out.put(rs.getLong(1), rs.getDouble(2))).list();
        return out;
    }

    /** The last intermediate value of a trial, as {step, value}, or null. */
    static double[] lastValue(Handle h, String trialId) {
        return h.createQuery("SELECT step, value FROM trial_values WHERE trial_id = ? ORDER BY step DESC LIMIT 1")
                .bind(0, trialId).map((rs, ctx) -> new double[] {rs.getLong(1), rs.getDouble(2)}).findOne().orElse(null);
    }

    private static Trial map(ResultSet rs) throws SQLException {
        return new Trial(rs.getString(1), rs.getString(2), rs.getInt(3), TrialState.valueOf(rs.getString(4)),
                params(rs.getString(5)), rs.getString(6), rs.getString(7), longOrNull(rs, 8), rs.getInt(9),
                rs.getString(10), doubleOrNull(rs, 11), longOrNull(rs, 12), longOrNull(rs, 13), longOrNull(rs, 14));
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Params as stored: integers back as Long, reals as Double, in their order. */
    static Map<String, Object> params(String json) {
        try {
            Map<String, Object> raw = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
            Map<String, Object> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, Values.normalize(v)));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable trial params: " + json, e);
        }
    }
}
