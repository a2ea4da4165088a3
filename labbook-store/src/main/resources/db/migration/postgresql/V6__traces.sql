-- PostgreSQL port of sqlite/V6__traces.sql: the same tables, keys and indexes. Integers are BIGINT (SQLite's
-- are 64-bit), REAL is DOUBLE PRECISION, BLOB is BYTEA, and text compares bytewise (COLLATE "C"), as
-- SQLite's does, so that ordering and LIKE give the same results on both databases.
-- Traces (MLflow 3's @mlflow.trace / start_span): one row per trace with its attributes; tags
-- (mutable) and request metadata (written when the trace is logged) as key/value rows; and the
-- runs a trace was linked to after the fact (traces/link-to-run). The spans themselves are not
-- here: clients upload them as traces.json to the trace's artifact location.

CREATE TABLE trace_info (
    trace_id           TEXT COLLATE "C"    PRIMARY KEY,
    experiment_id      BIGINT  NOT NULL REFERENCES experiments (experiment_id),
    request_time       BIGINT  NOT NULL,
    execution_duration BIGINT,
    state              TEXT COLLATE "C"    NOT NULL,
    client_request_id  TEXT COLLATE "C",
    request_preview    TEXT COLLATE "C",
    response_preview   TEXT COLLATE "C"
);
CREATE INDEX trace_info_by_experiment ON trace_info (experiment_id, request_time);

CREATE TABLE trace_tags (
    trace_id TEXT COLLATE "C" NOT NULL REFERENCES trace_info (trace_id),
    key      TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (trace_id, key)
);
CREATE INDEX trace_tags_by_key ON trace_tags (key, value);

CREATE TABLE trace_request_metadata (
    trace_id TEXT COLLATE "C" NOT NULL REFERENCES trace_info (trace_id),
    key      TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (trace_id, key)
);
CREATE INDEX trace_request_metadata_by_key ON trace_request_metadata (key, value);

CREATE TABLE trace_run_links (
    trace_id TEXT COLLATE "C" NOT NULL REFERENCES trace_info (trace_id),
    run_id   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (trace_id, run_id)
);
CREATE INDEX trace_run_links_by_run ON trace_run_links (run_id);
