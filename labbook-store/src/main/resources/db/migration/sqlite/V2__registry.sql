-- Model registry schema. Registered models get an integer surrogate key, so renaming a model is one
-- UPDATE and its versions, tags and aliases follow without rewriting their rows.

CREATE TABLE registered_models (
    model_pk          INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    description       TEXT,
    user_id           TEXT,
    creation_time     INTEGER NOT NULL,
    last_updated_time INTEGER NOT NULL,
    -- The highest version number ever handed out, so a deleted version's number is never reused
    -- (a models:/name/3 URI must not silently start meaning another model).
    last_version      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE registered_model_tags (
    model_pk INTEGER NOT NULL REFERENCES registered_models (model_pk) ON DELETE CASCADE,
    key      TEXT    NOT NULL,
    value    TEXT,
    PRIMARY KEY (model_pk, key)
) WITHOUT ROWID;

CREATE TABLE model_versions (
    model_pk          INTEGER NOT NULL REFERENCES registered_models (model_pk) ON DELETE CASCADE,
    version           INTEGER NOT NULL,
    creation_time     INTEGER NOT NULL,
    last_updated_time INTEGER NOT NULL,
    user_id           TEXT,
    current_stage     TEXT    NOT NULL DEFAULT 'None',
    description       TEXT,
    source            TEXT    NOT NULL,
    run_id            TEXT,
    status            TEXT    NOT NULL DEFAULT 'READY',
    status_message    TEXT,
    run_link          TEXT,
    PRIMARY KEY (model_pk, version)
);
-- latest versions per stage
CREATE INDEX model_versions_by_stage ON model_versions (model_pk, current_stage, version);
-- search-model-versions by run_id = '...', what MLflow's UI asks for on every run page
CREATE INDEX model_versions_by_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    model_pk INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT,
    PRIMARY KEY (model_pk, version, key),
    FOREIGN KEY (model_pk, version) REFERENCES model_versions (model_pk, version) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE registered_model_aliases (
    model_pk INTEGER NOT NULL,
    alias    TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (model_pk, alias),
    FOREIGN KEY (model_pk, version) REFERENCES model_versions (model_pk, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX registered_model_aliases_by_version ON registered_model_aliases (model_pk, version);
