-- Hyperparameter sweeps (issue 11). A sweep is a parent run in its experiment; each trial is a
-- child run. The sampler's state is the trials themselves: nothing else needs keeping.

CREATE TABLE sweeps (
    sweep_id         TEXT    NOT NULL PRIMARY KEY,
    experiment_id    INTEGER NOT NULL REFERENCES experiments (experiment_id),
    parent_run_uuid  TEXT    NOT NULL,
    name             TEXT,
    state            TEXT    NOT NULL,
    config           TEXT    NOT NULL,
    creation_time    INTEGER NOT NULL,
    last_update_time INTEGER NOT NULL,
    -- bumped by every claim: that UPDATE is what serializes claims on a database with row locks
    claims           INTEGER NOT NULL DEFAULT 0,
    best_trial_id    TEXT,
    best_value       REAL
);
CREATE INDEX sweeps_by_experiment ON sweeps (experiment_id, creation_time);

CREATE TABLE sweep_trials (
    trial_id       TEXT    NOT NULL PRIMARY KEY,
    sweep_id       TEXT    NOT NULL REFERENCES sweeps (sweep_id),
    number         INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    params         TEXT    NOT NULL,
    run_uuid       TEXT,
    agent_id       TEXT,
    lease_expiry   INTEGER,
    attempt        INTEGER NOT NULL DEFAULT 0,
    retry_of       TEXT,
    value          REAL,
    start_time     INTEGER,
    end_time       INTEGER,
    pruned_at_step INTEGER,
    UNIQUE (sweep_id, number)
);
CREATE INDEX sweep_trials_by_state ON sweep_trials (sweep_id, state);

CREATE TABLE trial_values (
    trial_id TEXT    NOT NULL REFERENCES sweep_trials (trial_id),
    step     INTEGER NOT NULL,
    value    REAL    NOT NULL,
    PRIMARY KEY (trial_id, step)
);
