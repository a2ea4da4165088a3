-- PostgreSQL port of sqlite/V3__metric_blocks.sql: the same tables, keys and indexes. Integers are BIGINT (SQLite's
-- are 64-bit), REAL is DOUBLE PRECISION, BLOB is BYTEA, and text compares bytewise (COLLATE "C"), as
-- SQLite's does, so that ordering and LIKE give the same results on both databases.
-- Summaries of metric histories for charts of long series: each row summarizes a block of up to
-- 1024 consecutive points of one series (in metric_points' key order), and each run of 32 points
-- in it, with first and last point, count and earliest minimum, maximum and NaN point, so that a
-- chart of a million points reads a thousand blocks and a few thousand points instead of every
-- point. The summary is one blob (see the
-- store's Block class): the sampler reads thousands per chart, and every column read is a native
-- call in the JDBC driver. The blocks of a series (these and its open one, below) cover its points
-- without gaps or overlaps.
CREATE TABLE metric_blocks (
    series_id   BIGINT  NOT NULL,
    first_step  BIGINT  NOT NULL,
    first_ts    BIGINT  NOT NULL,
    first_value DOUBLE PRECISION NOT NULL,
    first_nan   BIGINT  NOT NULL,
    summary     BYTEA    NOT NULL,
    PRIMARY KEY (series_id, first_step, first_ts, first_value, first_nan)
);

-- The last block of each series while it fills, apart from the others: one row per series, so
-- that the open blocks of the series a log-batch extends (a run logs its metrics together, and
-- their series ids follow one another) share a page or two, instead of each dirtying a page of
-- its own series' stretch of metric_blocks at every commit. A block moves to metric_blocks when
-- it is full.
CREATE TABLE metric_block_tails (
    series_id BIGINT PRIMARY KEY,
    summary   BYTEA    NOT NULL
);

-- Series logged before blocks existed: the store builds their blocks from their points the first
-- time a chart needs them, rather than making this migration read every point.
CREATE TABLE metric_blocks_stale (
    series_id BIGINT PRIMARY KEY
);
INSERT INTO metric_blocks_stale (series_id) SELECT series_id FROM metric_series;

-- The summaries (a few kB) stay in the row, uncompressed: a chart reads a thousand of them, and
-- out-of-line (TOAST) storage would make each one a second lookup, compression a decode; the open
-- tail is rewritten at every log-batch.
ALTER TABLE metric_blocks ALTER COLUMN summary SET STORAGE EXTERNAL;
ALTER TABLE metric_block_tails ALTER COLUMN summary SET STORAGE EXTERNAL;
ALTER TABLE metric_blocks SET (toast_tuple_target = 8160);
ALTER TABLE metric_block_tails SET (toast_tuple_target = 8160);
