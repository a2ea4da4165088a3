-- Tracking schema. Runs and metric series get integer surrogate keys so the metric table, by far
-- the largest, stores small rows clustered by series and step.

CREATE TABLE experiments (
    experiment_id     INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT,
    lifecycle_stage   TEXT    NOT NULL DEFAULT 'active',
    creation_time     INTEGER NOT NULL,
    last_update_time  INTEGER NOT NULL,
    deleted_time      INTEGER
);

CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    key           TEXT    NOT NULL,
    value         TEXT,
    PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

CREATE TABLE runs (
    run_pk          INTEGER PRIMARY KEY,
    run_uuid        TEXT    NOT NULL UNIQUE,
    experiment_id   INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name            TEXT,
    user_id         TEXT,
    status          TEXT    NOT NULL,
    start_time      INTEGER NOT NULL,
    end_time        INTEGER,
    artifact_uri    TEXT,
    lifecycle_stage TEXT    NOT NULL DEFAULT 'active',
    deleted_time    INTEGER
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);

CREATE TABLE params (
    run_pk INTEGER NOT NULL REFERENCES runs (run_pk),
    key    TEXT    NOT NULL,
    value  TEXT    NOT NULL,
    PRIMARY KEY (run_pk, key)
) WITHOUT ROWID;
CREATE INDEX params_by_key ON params (key, value);

CREATE TABLE tags (
    run_pk INTEGER NOT NULL REFERENCES runs (run_pk),
    key    TEXT    NOT NULL,
    value  TEXT,
    PRIMARY KEY (run_pk, key)
) WITHOUT ROWID;

-- One row per (run, metric key), holding the latest point (by step, timestamp, value): what
-- search and the runs table read, without touching the history.
CREATE TABLE metric_series (
    series_id INTEGER PRIMARY KEY,
    run_pk    INTEGER NOT NULL REFERENCES runs (run_pk),
    key       TEXT    NOT NULL,
    step      INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    UNIQUE (run_pk, key)
);
CREATE INDEX metric_series_by_key ON metric_series (key, value);

-- The full history. The primary key makes an identical point logged twice one row, which makes
-- client replays idempotent. NaN is stored as value 0 with is_nan 1 (SQLite turns NaN into NULL).
CREATE TABLE metric_points (
    series_id INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    PRIMARY KEY (series_id, step, timestamp, value, is_nan)
) WITHOUT ROWID;

CREATE TABLE datasets (
    dataset_pk    INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name          TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    source_type   TEXT,
    source        TEXT,
    schema        TEXT,
    profile       TEXT,
    UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_inputs (
    run_pk     INTEGER NOT NULL REFERENCES runs (run_pk),
    dataset_pk INTEGER NOT NULL REFERENCES datasets (dataset_pk),
    PRIMARY KEY (run_pk, dataset_pk)
) WITHOUT ROWID;

CREATE TABLE run_input_tags (
    run_pk     INTEGER NOT NULL,
    dataset_pk INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    value      TEXT,
    PRIMARY KEY (run_pk, dataset_pk, key)
) WITHOUT ROWID;
