-- MLflow 3's logged models: models logged to an experiment (usually by a run), with params,
-- tags and the metric points logged for them. Soft-deleted like runs.
CREATE TABLE logged_models (
    model_pk                  INTEGER PRIMARY KEY,
    model_id                  TEXT    NOT NULL UNIQUE,
    experiment_id             INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name                      TEXT    NOT NULL,
    artifact_location         TEXT    NOT NULL,
    creation_timestamp_ms     INTEGER NOT NULL,
    last_updated_timestamp_ms INTEGER NOT NULL,
    status                    TEXT    NOT NULL,
    status_message            TEXT,
    model_type                TEXT,
    source_run_id             TEXT,
    lifecycle_stage           TEXT    NOT NULL DEFAULT 'active'
);
CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp_ms);
CREATE INDEX logged_models_by_run ON logged_models (source_run_id);

CREATE TABLE logged_model_params (
    model_pk INTEGER NOT NULL REFERENCES logged_models (model_pk),
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_pk, key)
) WITHOUT ROWID;

CREATE TABLE logged_model_tags (
    model_pk INTEGER NOT NULL REFERENCES logged_models (model_pk),
    key      TEXT    NOT NULL,
    value    TEXT,
    PRIMARY KEY (model_pk, key)
) WITHOUT ROWID;

-- Every metric point logged with a model_id (as MLflow 3's logged_model_metrics), so a model's
-- metrics are read without touching the runs' histories. '' stands for "no dataset" in the key.
CREATE TABLE logged_model_metrics (
    model_pk       INTEGER NOT NULL REFERENCES logged_models (model_pk),
    key            TEXT    NOT NULL,
    timestamp      INTEGER NOT NULL,
    step           INTEGER NOT NULL,
    run_id         TEXT    NOT NULL,
    dataset_name   TEXT    NOT NULL,
    dataset_digest TEXT    NOT NULL,
    value          REAL    NOT NULL,
    is_nan         INTEGER NOT NULL,
    PRIMARY KEY (model_pk, key, timestamp, step, run_id, dataset_name, dataset_digest)
) WITHOUT ROWID;

-- MLflow 3's extra fields of a metric point, only for the points that carried any: the plain
-- history (metric_points and its blocks) stays as it is, and reads join this by point (the key
-- of metric_points: two models evaluated at the same step of a run are two points).
CREATE TABLE metric_point_details (
    series_id      INTEGER NOT NULL,
    step           INTEGER NOT NULL,
    timestamp      INTEGER NOT NULL,
    value          REAL    NOT NULL,
    is_nan         INTEGER NOT NULL,
    dataset_name   TEXT,
    dataset_digest TEXT,
    model_id       TEXT,
    run_id         TEXT,
    PRIMARY KEY (series_id, step, timestamp, value, is_nan)
) WITHOUT ROWID;

-- The logged models a run consumed (direction 'input', step 0) or produced ('output').
CREATE TABLE run_models (
    run_pk    INTEGER NOT NULL REFERENCES runs (run_pk),
    direction TEXT    NOT NULL,
    model_id  TEXT    NOT NULL,
    step      INTEGER NOT NULL,
    PRIMARY KEY (run_pk, direction, model_id, step)
) WITHOUT ROWID;

-- A model version registered from a logged model.
ALTER TABLE model_versions ADD COLUMN model_id TEXT;
