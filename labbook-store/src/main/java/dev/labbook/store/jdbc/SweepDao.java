package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads and writes the sweeps table. */
final class SweepDao {
    private static final String COLUMNS = "sweep_id, experiment_id, parent_run_uuid, name, state, config, creation_time,"
            + " last_update_time, best_trial_id, best_value";

    private SweepDao() {}

    static void insert(Handle h, Sweep s) {
        h.createUpdate("INSERT INTO sweeps (sweep_id, experiment_id, parent_run_uuid, name, state, config, creation_time,"
                        + " last_update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, s.sweepId()).bind(1, Long.parseLong(s.experimentId())).bind(2, s.parentRunId()).bind(3, s.name())
                .bind(4, s.state().name()).bind(5, s.config()).bind(6, s.creationTime()).bind(7, s.lastUpdateTime())
                .execute();
    }

    static Optional<Sweep> find(Handle h, String sweepId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sweeps WHERE sweep_id = ?").bind(0, sweepId)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    static Sweep require(Handle h, String sweepId) {
        return find(h, sweepId).orElseThrow(() -> LabbookException.notFound("No sweep with id=%s exists", sweepId));
    }

    /**
     * Counts a claim on the sweep; false when there is no such sweep. Being an UPDATE of the
     * sweep's row, it holds that row's lock until the claim commits, which is what makes claims
     * of one sweep take turns on a database with row locks (on SQLite the write lock does it).
     */
    static boolean lockForClaim(Handle h, String sweepId, long now) {
        return h.createUpdate("UPDATE sweeps SET claims = claims + 1, last_update_time = ? WHERE sweep_id = ?")
                .bind(0, now).bind(1, sweepId).execute() == 1;
    }

    /**
     * Locks the sweep's row for this transaction without counting a claim (on SQLite, whose
     * writers take turns, nothing to do): what a write that numbers new trials holds, as claims do.
     */
    static void lock(Handle h, String sweepId) {
        if (Dialect.of(h).singleWriter()) {
            return;
        }
        h.createQuery("SELECT 1 FROM sweeps WHERE sweep_id = ? FOR UPDATE").bind(0, sweepId).mapTo(Integer.class).findOne();
    }

    static List<Sweep> list(Handle h, String experimentId) {
        if (experimentId == null) {
            return h.createQuery("SELECT " + COLUMNS + " FROM sweeps ORDER BY creation_time DESC, sweep_id")
                    .map((rs, ctx) -> map(rs)).list();
        }
        var id = Ids.experiment(experimentId);
        if (id.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + COLUMNS + " FROM sweeps WHERE experiment_id = ? ORDER BY creation_time DESC, sweep_id")
                .bind(0, id.getAsLong()).map((rs, ctx) -> map(rs)).list();
    }

    static void setState(Handle h, String sweepId, SweepState state, long now) {
        h.createUpdate("UPDATE sweeps SET state = ?, last_update_time = ? WHERE sweep_id = ?")
                .bind(0, state.name()).bind(1, now).bind(2, sweepId).execute();
    }

    static void setBest(Handle h, String sweepId, String trialId, double value, long now) {
        h.createUpdate("UPDATE sweeps SET best_trial_id = ?, best_value = ?, last_update_time = ? WHERE sweep_id = ?")
                .bind(0, trialId).bind(1, value).bind(2, now).bind(3, sweepId).execute();
    }

    private static Sweep map(ResultSet rs) throws SQLException {
        double best = rs.getDouble(10);
        Double bestValue = rs.wasNull() ? null : best;
        return new Sweep(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4),
                SweepState.valueOf(rs.getString(5)), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9), bestValue);
    }
}
