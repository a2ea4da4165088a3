-- Summaries of metric histories for charts of long series: each row summarizes a block of about
-- a hundred consecutive points of one series (in metric_points' key order) with its first and last
-- point, its count and its earliest minimum, maximum and NaN point, so that a chart of a million
-- points reads a few thousand blocks instead of every point. The summary is one blob (see the
-- store's Block class): the sampler reads thousands per chart, and every column read is a native
-- call in the JDBC driver. The blocks of a series cover its points without gaps or overlaps.
CREATE TABLE metric_blocks (
    series_id   INTEGER NOT NULL,
    first_step  INTEGER NOT NULL,
    first_ts    INTEGER NOT NULL,
    first_value REAL    NOT NULL,
    first_nan   INTEGER NOT NULL,
    summary     BLOB    NOT NULL,
    PRIMARY KEY (series_id, first_step, first_ts, first_value, first_nan)
) WITHOUT ROWID;

-- Series logged before blocks existed: the store builds their blocks from their points the first
-- time a chart needs them, rather than making this migration read every point.
CREATE TABLE metric_blocks_stale (
    series_id INTEGER PRIMARY KEY
);
INSERT INTO metric_blocks_stale (series_id) SELECT series_id FROM metric_series;
