-- A change number per run, so that the dashboard can ask for the runs changed since its last load
-- and keep what it already has of the others. Every write that changes what the runs table shows
-- (the run's attributes, its params, tags and latest metrics) gives the run the next number
-- after the highest one: writers take turns, so the numbers follow the commits, and a reader that
-- saw number N has seen every change up to N. Triggers do it for runs, params and tags, so that
-- every writer, whatever its code path, keeps the numbers.
ALTER TABLE runs ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX runs_by_change ON runs (change_seq);

CREATE TRIGGER runs_inserted AFTER INSERT ON runs BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = NEW.run_pk;
END;
-- (an update that writes the same values again, as a repeated status update does, changes nothing)
CREATE TRIGGER runs_updated AFTER UPDATE OF name, user_id, status, start_time, end_time, lifecycle_stage, experiment_id ON runs
WHEN OLD.name IS NOT NEW.name OR OLD.user_id IS NOT NEW.user_id OR OLD.status IS NOT NEW.status
    OR OLD.start_time IS NOT NEW.start_time OR OLD.end_time IS NOT NEW.end_time
    OR OLD.lifecycle_stage IS NOT NEW.lifecycle_stage OR OLD.experiment_id IS NOT NEW.experiment_id BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = NEW.run_pk;
END;
CREATE TRIGGER params_inserted AFTER INSERT ON params BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = NEW.run_pk;
END;
CREATE TRIGGER tags_inserted AFTER INSERT ON tags BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = NEW.run_pk;
END;
CREATE TRIGGER tags_updated AFTER UPDATE ON tags WHEN OLD.value IS NOT NEW.value BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = NEW.run_pk;
END;
CREATE TRIGGER tags_deleted AFTER DELETE ON tags BEGIN
    UPDATE runs SET change_seq = (SELECT MAX(change_seq) FROM runs) + 1 WHERE run_pk = OLD.run_pk;
END;
-- metric_series (each metric's latest point, shown in the table) is numbered by the store itself,
-- once per log-batch rather than by a trigger per metric key: that is the ingestion hot path, and
-- the store is the one writer of metric_series.
