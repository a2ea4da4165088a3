package dev.labbook.store.auth;

import dev.labbook.store.jdbc.Database;
import java.util.Optional;

/**
 * The experiment each run, logged model, trace, sweep and trial belongs to: what a permission
 * check on one of them is a check on. These never change once created, so callers may cache them.
 */
public final class ResourceOwners {
    private final Database db;

    public ResourceOwners(Database db) {
        this.db = db;
    }

    public Optional<String> experimentOfRun(String runId) {
        return lookup("SELECT experiment_id FROM runs WHERE run_uuid = ?", runId);
    }

    public Optional<String> experimentOfLoggedModel(String modelId) {
        return lookup("SELECT experiment_id FROM logged_models WHERE model_id = ?", modelId);
    }

    public Optional<String> experimentOfTrace(String traceId) {
        return lookup("SELECT experiment_id FROM trace_info WHERE trace_id = ?", traceId);
    }

    public Optional<String> experimentOfSweep(String sweepId) {
        return lookup("SELECT experiment_id FROM sweeps WHERE sweep_id = ?", sweepId);
    }

    public Optional<String> experimentOfTrial(String trialId) {
        return lookup("SELECT s.experiment_id FROM sweep_trials t JOIN sweeps s ON s.sweep_id = t.sweep_id WHERE t.trial_id = ?", trialId);
    }

    /** The id of the experiment of that name, whatever its lifecycle stage. */
    public Optional<String> experimentNamed(String name) {
        return lookup("SELECT experiment_id FROM experiments WHERE name = ?", name);
    }

    private Optional<String> lookup(String sql, String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return db.read(h -> h.createQuery(sql).bind(0, key).mapTo(Long.class).findOne().map(String::valueOf));
    }
}
