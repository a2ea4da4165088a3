-- Traces (MLflow 3's @mlflow.trace / start_span): one row per trace with its attributes; tags
-- (mutable) and request metadata (written when the trace is logged) as key/value rows; and the
-- runs a trace was linked to after the fact (traces/link-to-run). The spans themselves are not
-- here: clients upload them as traces.json to the trace's artifact location.

CREATE TABLE trace_info (
    trace_id           TEXT    PRIMARY KEY,
    experiment_id      INTEGER NOT NULL REFERENCES experiments (experiment_id),
    request_time       INTEGER NOT NULL,
    execution_duration INTEGER,
    state              TEXT    NOT NULL,
    client_request_id  TEXT,
    request_preview    TEXT,
    response_preview   TEXT
);
CREATE INDEX trace_info_by_experiment ON trace_info (experiment_id, request_time);

CREATE TABLE trace_tags (
    trace_id TEXT NOT NULL REFERENCES trace_info (trace_id),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (trace_id, key)
) WITHOUT ROWID;
CREATE INDEX trace_tags_by_key ON trace_tags (key, value);

CREATE TABLE trace_request_metadata (
    trace_id TEXT NOT NULL REFERENCES trace_info (trace_id),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (trace_id, key)
) WITHOUT ROWID;
CREATE INDEX trace_request_metadata_by_key ON trace_request_metadata (key, value);

CREATE TABLE trace_run_links (
    trace_id TEXT NOT NULL REFERENCES trace_info (trace_id),
    run_id   TEXT NOT NULL,
    PRIMARY KEY (trace_id, run_id)
) WITHOUT ROWID;
CREATE INDEX trace_run_links_by_run ON trace_run_links (run_id);
