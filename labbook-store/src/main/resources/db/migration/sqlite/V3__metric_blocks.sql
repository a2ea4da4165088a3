-- Summaries of metric histories for charts of long series: each row summarizes a block of up to
-- 1024 consecutive points of one series (in metric_points' key order), and each run of 32 points
-- in it, with first and last point, count and earliest minimum, maximum and NaN point, so that a
-- chart of a million points reads a thousand blocks and a few thousand points instead of every
-- point. The summary is one blob (see the
-- store's Block class): the sampler reads thousands per chart, and every column read is a native
-- call in the JDBC driver. The blocks of a series (these and its open one, below) cover its points
-- without gaps or overlaps.
CREATE TABLE metric_blocks (
    series_id   INTEGER NOT NULL,
    first_step  INTEGER NOT NULL,
    first_ts    INTEGER NOT NULL,
    first_value REAL    NOT NULL,
    first_nan   INTEGER NOT NULL,
    summary     BLOB    NOT NULL,
    PRIMARY KEY (series_id, first_step, first_ts, first_value, first_nan)
) WITHOUT ROWID;

-- The last block of each series while it fills, apart from the others: one row per series, so
-- that the open blocks of the series a log-batch extends (a run logs its metrics together, and
-- their series ids follow one another) share a page or two, instead of each dirtying a page of
-- its own series' stretch of metric_blocks at every commit. A block moves to metric_blocks when
-- it is full.
CREATE TABLE metric_block_tails (
    series_id INTEGER PRIMARY KEY,
    summary   BLOB    NOT NULL
);

-- Series logged before blocks existed: the store builds their blocks from their points the first
-- time a chart needs them, rather than making this migration read every point.
CREATE TABLE metric_blocks_stale (
    series_id INTEGER PRIMARY KEY
);
INSERT INTO metric_blocks_stale (series_id) SELECT series_id FROM metric_series;
