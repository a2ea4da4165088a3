-- PostgreSQL port of sqlite/V8__sweeps.sql: the same tables, keys and indexes. Integers are BIGINT (SQLite's
-- are 64-bit), REAL is DOUBLE PRECISION, BLOB is BYTEA, and text compares bytewise (COLLATE "C"), as
-- SQLite's does, so that ordering and LIKE give the same results on both databases.
-- Hyperparameter sweeps (issue 11). A sweep is a parent run in its experiment; each trial is a
-- child run. The sampler's state is the trials themselves: nothing else needs keeping.

CREATE TABLE sweeps (
    sweep_id         TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    experiment_id    BIGINT  NOT NULL REFERENCES experiments (experiment_id),
    parent_run_uuid  TEXT COLLATE "C"    NOT NULL,
    name             TEXT COLLATE "C",
    state            TEXT COLLATE "C"    NOT NULL,
    config           TEXT COLLATE "C"    NOT NULL,
    creation_time    BIGINT  NOT NULL,
    last_update_time BIGINT  NOT NULL,
    -- bumped by every claim: that UPDATE is what serializes claims on a database with row locks
    claims           BIGINT  NOT NULL DEFAULT 0,
    best_trial_id    TEXT COLLATE "C",
    best_value       DOUBLE PRECISION
);
CREATE INDEX sweeps_by_experiment ON sweeps (experiment_id, creation_time);

CREATE TABLE sweep_trials (
    trial_id       TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    sweep_id       TEXT COLLATE "C"    NOT NULL REFERENCES sweeps (sweep_id),
    number         BIGINT  NOT NULL,
    state          TEXT COLLATE "C"    NOT NULL,
    params         TEXT COLLATE "C"    NOT NULL,
    run_uuid       TEXT COLLATE "C",
    agent_id       TEXT COLLATE "C",
    lease_expiry   BIGINT,
    attempt        BIGINT  NOT NULL DEFAULT 0,
    retry_of       TEXT COLLATE "C",
    value          DOUBLE PRECISION,
    start_time     BIGINT,
    end_time       BIGINT,
    pruned_at_step BIGINT,
    UNIQUE (sweep_id, number)
);
CREATE INDEX sweep_trials_by_state ON sweep_trials (sweep_id, state);

CREATE TABLE trial_values (
    trial_id TEXT COLLATE "C"    NOT NULL REFERENCES sweep_trials (trial_id),
    step     BIGINT  NOT NULL,
    value    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (trial_id, step)
);
