-- Access control (issue 14): users, teams, permissions on experiments and registered models,
-- personal access tokens, dashboard sessions, an audit log, and a change counter that every
-- replica polls to drop its cached credential and permission checks.

CREATE TABLE auth_users (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_time  INTEGER NOT NULL
);

CREATE TABLE auth_teams (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    created_time INTEGER NOT NULL
);

CREATE TABLE auth_team_members (
    team_id INTEGER NOT NULL REFERENCES auth_teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX auth_team_members_by_user ON auth_team_members (user_id);

-- A grant names a user or a team (exactly one of the two). The surrogate key lets `db migrate`
-- copy the table in key order (the natural key has a NULL on one side).
CREATE TABLE auth_experiment_permissions (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    experiment_id TEXT    NOT NULL,
    user_id       INTEGER REFERENCES auth_users (id) ON DELETE CASCADE,
    team_id       INTEGER REFERENCES auth_teams (id) ON DELETE CASCADE,
    permission    TEXT    NOT NULL,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX auth_experiment_permissions_user ON auth_experiment_permissions (experiment_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX auth_experiment_permissions_team ON auth_experiment_permissions (experiment_id, team_id) WHERE team_id IS NOT NULL;

CREATE TABLE auth_model_permissions (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    user_id    INTEGER REFERENCES auth_users (id) ON DELETE CASCADE,
    team_id    INTEGER REFERENCES auth_teams (id) ON DELETE CASCADE,
    permission TEXT    NOT NULL,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX auth_model_permissions_user ON auth_model_permissions (name, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX auth_model_permissions_team ON auth_model_permissions (name, team_id) WHERE team_id IS NOT NULL;

-- Personal access tokens: the secret is kept as its SHA-256 only.
CREATE TABLE auth_tokens (
    id             TEXT    NOT NULL PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    secret_hash    TEXT    NOT NULL,
    read_only      INTEGER NOT NULL DEFAULT 0,
    created_time   INTEGER NOT NULL,
    expires_time   INTEGER,
    revoked_time   INTEGER
);
CREATE INDEX auth_tokens_by_user ON auth_tokens (user_id);

-- Dashboard sessions, by the SHA-256 of the cookie's value.
CREATE TABLE auth_sessions (
    id_hash      TEXT    NOT NULL PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_time INTEGER NOT NULL,
    expires_time INTEGER NOT NULL
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);

CREATE TABLE auth_audit (
    id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    time   INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT
);

-- One row, made by the first change (none before: a fresh store holds no rows, so `db migrate`
-- copies into it as into any empty table): bumped by every change that can alter a credential or
-- permission check.
CREATE TABLE auth_state (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
