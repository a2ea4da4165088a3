-- PostgreSQL port of sqlite/V4__run_changes.sql: a change number per run, so that the dashboard
-- can ask for the runs changed since its last load. Every write that changes what the runs table
-- shows (the run's attributes, params, tags, latest metrics) gives the run the next number.
--
-- On SQLite writers take turns, so MAX(change_seq) + 1 follows the commits. PostgreSQL writers run
-- side by side, and two of them would read the same MAX. Here the numbers come from one counter
-- row instead: taking a number locks that row until the transaction ends, so the next writer's
-- number is taken after this one committed (or rolled back), and a reader that saw number N has
-- seen every change numbered up to N, on any server replica. The store takes the counter before it
-- locks any runs row (labbook_last_change), so that writers queue in one order and never deadlock.
ALTER TABLE runs ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX runs_by_change ON runs (change_seq);

CREATE TABLE run_change_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT  NOT NULL
);
INSERT INTO run_change_counter (id, seq) SELECT 1, COALESCE(MAX(change_seq), 0) FROM runs;

-- The next change number; the counter row stays locked until the transaction ends.
CREATE FUNCTION labbook_next_change() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
    UPDATE run_change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq
$$;

-- The highest change number handed out, locking the counter row as labbook_next_change does.
CREATE FUNCTION labbook_last_change() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
    SELECT seq FROM run_change_counter WHERE id = 1 FOR UPDATE
$$;

CREATE FUNCTION labbook_number_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := labbook_next_change();
    RETURN NEW;
END
$$;

CREATE TRIGGER runs_inserted BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION labbook_number_run();
-- (an update that writes the same values again, as a repeated status update does, changes nothing)
CREATE TRIGGER runs_updated BEFORE UPDATE OF name, user_id, status, start_time, end_time, lifecycle_stage, experiment_id ON runs
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.user_id IS DISTINCT FROM NEW.user_id
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.start_time IS DISTINCT FROM NEW.start_time
    OR OLD.end_time IS DISTINCT FROM NEW.end_time OR OLD.lifecycle_stage IS DISTINCT FROM NEW.lifecycle_stage
    OR OLD.experiment_id IS DISTINCT FROM NEW.experiment_id)
EXECUTE FUNCTION labbook_number_run();

-- Params and tags renumber their runs once per statement (a log-batch's params are one statement),
-- not once per row as SQLite's row triggers do.
CREATE FUNCTION labbook_number_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE runs SET change_seq = labbook_next_change() WHERE run_pk IN (SELECT DISTINCT run_pk FROM new_rows);
    RETURN NULL;
END
$$;
CREATE FUNCTION labbook_number_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE runs SET change_seq = labbook_next_change() WHERE run_pk IN (SELECT DISTINCT run_pk FROM old_rows);
    RETURN NULL;
END
$$;
CREATE FUNCTION labbook_number_retagged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE runs SET change_seq = labbook_next_change() WHERE run_pk IN (
        SELECT DISTINCT n.run_pk FROM new_rows n JOIN old_rows o ON o.run_pk = n.run_pk AND o.key = n.key
        WHERE o.value IS DISTINCT FROM n.value);
    RETURN NULL;
END
$$;

CREATE TRIGGER params_inserted AFTER INSERT ON params REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION labbook_number_inserted();
CREATE TRIGGER tags_inserted AFTER INSERT ON tags REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION labbook_number_inserted();
CREATE TRIGGER tags_updated AFTER UPDATE ON tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION labbook_number_retagged();
CREATE TRIGGER tags_deleted AFTER DELETE ON tags REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION labbook_number_deleted();
-- metric_series (each metric's latest point, shown in the table) is numbered by the store itself,
-- once per log-batch (see Dialect.numberChangedRun).
