package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.MetricWithRunId;
import dev.labbook.store.NewRun;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart sampler that reads block summaries must pick exactly what the reference
 * {@link dev.labbook.core.metrics.Downsampler} picks from every point, whatever order the points
 * were logged in, and the blocks must always summarize exactly the stored points.
 */
class BlockSamplerTest {
    private static final int[] MAX_POINTS = {2, 3, 4, 10, 51, 320, 1000, 2500};

    @TempDir
    Path dir;

    /** How the points of a series reach the store. */
    enum Order { IN_ORDER, SHUFFLED_BATCHES, SHUFFLED, REVERSED, BACKFILL, RELOGGED }

    @Test
    void matchesTheExactDownsamplerWhateverTheLoggingOrder() {
        try (Database db = TestDatabases.openAt(dir.resolve("s.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            for (Order order : Order.values()) {
                for (int seed = 1; seed <= 3; seed++) {
                    Random rnd = new Random(seed * 31L + order.ordinal());
                    String run = store.createRun(new NewRun("0", "u", 0, order + "-" + seed, List.of())).runId();
                    // several blocks, the last one open
                    List<Metric> points = series(rnd, "m", 3 * Block.POINTS + rnd.nextInt(6 * Block.POINTS));
                    log(store, run, arrange(points, order, rnd), rnd);
                    String label = order + " seed " + seed;
                    assertBlocksSummarizePoints(db, run, "m", label);
                    assertSamplesMatch(db, store, run, "m", rnd, label);
                }
            }
        }
    }

    @Test
    void keepsASpikeThatLastsOneStepInEveryWindowThatHoldsIt() {
        try (Database db = TestDatabases.openAt(dir.resolve("spike.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "spike", List.of())).runId();
            List<Metric> batch = new ArrayList<>();
            for (int i = 0; i < 60_000; i++) {
                batch.add(new Metric("loss", i == 23_457 ? 1e6 : 1.0 / (1 + i), i, i));
                if (batch.size() == 1000) {
                    store.logBatch(run, batch, List.of(), List.of());
                    batch.clear();
                }
            }
            for (long[] window : new long[][] {{0, 59_999}, {20_000, 50_000}, {23_000, 24_000}, {23_457, 23_457}}) {
                List<MetricWithRunId> chart = store.getMetricHistoryBulkInterval(List.of(run), "loss", window[0], window[1], 320);
                assertTrue(chart.stream().anyMatch(m -> m.value() == 1e6), "spike missing in " + window[0] + ".." + window[1]);
                assertEquals(window[0], chart.get(0).step());
                assertEquals(window[1], chart.get(chart.size() - 1).step());
            }
            assertSamplesMatch(db, store, run, "loss", new Random(5), "spike");
        }
    }

    @Test
    void aBatchThatFillsTheOpenBlockExactlyLeavesNoOpenBlock() {
        try (Database db = TestDatabases.openAt(dir.resolve("full.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "full", List.of())).runId();
            Random rnd = new Random(21);
            List<Metric> points = series(rnd, "m", 4 * Block.POINTS).stream().distinct().collect(Collectors.toList());
            int at = 0;
            // a whole block in one batch, then one in two halves, then a few points
            for (int n : new int[] {Block.POINTS, Block.POINTS / 2, Block.POINTS / 2, 7}) {
                store.logBatch(run, points.subList(at, at + n), List.of(), List.of());
                at += n;
                assertBlocksSummarizePoints(db, run, "m", "after " + at + " points");
            }
            long seriesId = seriesId(db, run, "m");
            assertEquals(7L, db.<Long>read(h -> {
                try {
                    return MetricBlockDao.tail(h.getConnection(), seriesId).span().count();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertSamplesMatch(db, store, run, "m", rnd, "filled blocks");
        }
    }

    @Test
    void manyPointsAtOneStepAreSampledLikeTheDownsamplerDoes() {
        // MLflow clients log without a step as step 0: a whole history can share one step
        try (Database db = TestDatabases.openAt(dir.resolve("one.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "flat", List.of())).runId();
            Random rnd = new Random(9);
            List<Metric> points = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                points.add(new Metric("m", rnd.nextInt(50) == 0 ? Double.NaN : rnd.nextGaussian(), 1_000 + rnd.nextInt(4_000), 0));
            }
            log(store, run, points, rnd);
            assertBlocksSummarizePoints(db, run, "m", "one step");
            assertSamplesMatch(db, store, run, "m", rnd, "one step");
        }
    }

    @Test
    void seriesLoggedBeforeBlocksExistedGetTheirBlocksOnFirstUse() throws SQLException {
        try (Database db = TestDatabases.openAt(dir.resolve("old.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "old", List.of())).runId();
            Random rnd = new Random(11);
            log(store, run, series(rnd, "m", 5_000), rnd);
            long seriesId = seriesId(db, run, "m");
            // what the migration leaves for a series it found: points, no blocks, a stale mark
            db.write(h -> {
                h.execute("DELETE FROM metric_blocks WHERE series_id = ?", seriesId);
                h.execute("DELETE FROM metric_block_tails WHERE series_id = ?", seriesId);
                return h.execute("INSERT INTO metric_blocks_stale (series_id) VALUES (?)", seriesId);
            });
            assertSamplesMatch(db, new JdbcTrackingStore(db), run, "m", rnd, "stale");
            assertFalse(db.<Boolean>read(h -> BulkIntervalDao.stale(h, seriesId)));
            assertBlocksSummarizePoints(db, run, "m", "stale");
        }
    }

    @Test
    void pointsWrittenAroundTheStoreAreSampledFromEveryPoint() throws SQLException {
        try (Database db = TestDatabases.openAt(dir.resolve("raw.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "raw", List.of())).runId();
            Random rnd = new Random(13);
            log(store, run, series(rnd, "m", 3_000), rnd);
            long seriesId = seriesId(db, run, "m");
            db.write(h -> h.execute("DELETE FROM metric_blocks WHERE series_id = ?", seriesId)
                    + h.execute("DELETE FROM metric_block_tails WHERE series_id = ?", seriesId));
            assertNull(db.read(h -> blockSample(h, seriesId, Long.MIN_VALUE, Long.MAX_VALUE, 320)));
            assertSamplesMatch(db, store, run, "m", rnd, "no blocks", false);
        }
    }

    @Test
    void blocksSurviveTheirEncoding() {
        Block.Builder b = new Block.Builder();
        List<PointKey> points = new ArrayList<>();
        Random rnd = new Random(17);
        int n = 2 * Block.CHUNK_POINTS + 9;
        for (int i = 0; i < n; i++) {
            double v = i % 7 == 3 ? Double.NaN : i % 11 == 5 ? Double.NEGATIVE_INFINITY : rnd.nextGaussian();
            // timestamps go back and forth: differences from the first point are negative too
            points.add(PointKey.of(-5 + i * 3L, 1_700_000_000_000L + rnd.nextInt(2000) - 1000, v));
        }
        points.forEach(b::add);
        Block block = b.build();
        Block read = Block.decode(block.encode());
        assertEquals(block.span(), read.span());
        assertEquals(block.chunks(), read.chunks());
        long c = Block.CHUNK_POINTS;
        assertEquals(List.of(c, c, 9L), read.chunks().stream().map(Span::count).collect(Collectors.toList()));
        assertEquals(summary(points), read.span());
        assertEquals(summary(points.subList(n - 9, n)), read.chunks().get(2));
        Block.Builder nans = new Block.Builder();
        nans.add(PointKey.of(1, 1, Double.NaN));
        Block nanOnly = nans.build();
        assertEquals(nanOnly.span(), Block.decode(nanOnly.encode()).span());
        assertEquals(PointKey.of(1, 1, 0.0), PointKey.of(1, 1, -0.0));
    }

    // ------------------------------------------------------------------ data

    /**
     * A noisy decreasing curve with ties of step and of value, single-step spikes both ways, NaN,
     * infinities, -0.0 and identical points repeated.
     */
    static List<Metric> series(Random rnd, String key, int n) {
        List<Metric> out = new ArrayList<>(n);
        long step = rnd.nextInt(100) - 50;
        for (int i = 0; i < n; i++) {
            step += rnd.nextInt(10) == 0 ? 0 : 1 + (rnd.nextInt(20) == 0 ? rnd.nextInt(500) : rnd.nextInt(3));
            double v = switch (rnd.nextInt(60)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> 100 + rnd.nextInt(3);   // spike up (ties among spikes)
                case 4 -> -100 - rnd.nextInt(3);  // spike down
                case 5 -> -0.0;
                case 6, 7, 8 -> Math.round(rnd.nextGaussian() * 4) / 4.0; // repeated values
                default -> 1.0 / Math.sqrt(1 + i) + 0.05 * rnd.nextGaussian();
            };
            Metric m = new Metric(key, v, 1_000 + step * 10 + rnd.nextInt(2), step);
            out.add(m);
            if (rnd.nextInt(40) == 0) {
                out.add(m);
            }
        }
        if (rnd.nextBoolean()) {
            // a stretch of NaN only, so that some bucket has nothing but NaN
            for (int i = 0; i < 300; i++) {
                out.add(new Metric(key, Double.NaN, 5, step + 1 + i));
            }
        }
        return out;
    }

    static List<Metric> arrange(List<Metric> points, Order order, Random rnd) {
        List<Metric> out = new ArrayList<>(points);
        switch (order) {
            case IN_ORDER -> { }
            case SHUFFLED_BATCHES -> {
                for (int i = 0; i < out.size(); i += 700) {
                    Collections.shuffle(out.subList(i, Math.min(out.size(), i + 700)), rnd);
                }
            }
            case SHUFFLED -> Collections.shuffle(out, rnd);
            case REVERSED -> Collections.reverse(out);
            case BACKFILL -> {
                List<Metric> late = new ArrayList<>(out.subList(out.size() / 2, out.size()));
                out.subList(out.size() / 2, out.size()).clear();
                late.addAll(out);
                out = late;
            }
            case RELOGGED -> {
                for (int k = 0; k < 5; k++) {
                    int from = rnd.nextInt(out.size() - 100);
                    out.addAll(new ArrayList<>(out.subList(from, from + 1 + rnd.nextInt(99))));
                }
            }
        }
        return out;
    }

    private static void log(JdbcTrackingStore store, String run, List<Metric> points, Random rnd) {
        for (int i = 0; i < points.size(); ) {
            int n = Math.min(points.size() - i, 1 + rnd.nextInt(1000));
            store.logBatch(run, points.subList(i, i + n), List.of(), List.of());
            i += n;
        }
    }

    // ------------------------------------------------------------------ checks

    private static long seriesId(Database db, String run, String key) {
        return db.read(h -> MetricDao.seriesId(h, RunDao.require(h, run).runPk(), key));
    }

    /** The store's chart answers equal the reference's for windows and sizes of every kind. */
    static void assertSamplesMatch(Database db, JdbcTrackingStore store, String run, String key, Random rnd, String label) {
        assertSamplesMatch(db, store, run, key, rnd, label, true);
    }

    private static List<PointKey> blockSample(org.jdbi.v3.core.Handle h, long seriesId, long start, long end, int max) {
        try {
            return BlockSampler.sample(h.getConnection(), seriesId, start, end, max);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSamplesMatch(Database db, JdbcTrackingStore store, String run, String key, Random rnd, String label,
            boolean viaBlocks) {
        long seriesId = seriesId(db, run, key);
        Series all = db.read(h -> BulkIntervalDao.load(h, seriesId));
        long lo = all.steps()[0];
        long hi = all.steps()[all.size() - 1];
        List<long[]> windows = new ArrayList<>();
        windows.add(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        windows.add(new long[] {lo, hi});
        windows.add(new long[] {hi + 1, hi + 10});
        for (int i = 0; i < 12; i++) {
            long a = lo - 5 + (long) (rnd.nextDouble() * (hi - lo + 10));
            long b = a + (long) (rnd.nextDouble() * rnd.nextDouble() * (hi - a + 5));
            windows.add(new long[] {a, b});
        }
        for (long[] w : windows) {
            for (int max : MAX_POINTS) {
                List<PointKey> expected = BulkIntervalDao.sample(all, w[0], w[1], max);
                if (viaBlocks) {
                    assertNotNull(db.read(h -> blockSample(h, seriesId, w[0], w[1], max)), label + ": blocks not used");
                }
                List<MetricWithRunId> chart = store.getMetricHistoryBulkInterval(List.of(run), key,
                        w[0] == Long.MIN_VALUE ? null : w[0], w[1] == Long.MAX_VALUE ? null : w[1], max);
                assertEquals(describe(expected), chart.stream().map(m -> describe(PointKey.of(m.step(), m.timestamp(), m.value())))
                        .collect(Collectors.joining(" ")), label + ", steps " + w[0] + ".." + w[1] + ", max " + max);
            }
        }
    }

    private static String describe(List<PointKey> points) {
        return points.stream().map(BlockSamplerTest::describe).collect(Collectors.joining(" "));
    }

    private static String describe(PointKey p) {
        return p.step() + "/" + p.timestamp() + "/" + (p.nan() ? "NaN" : Double.toString(p.value()));
    }

    /** The summary of consecutive points, computed the plain way. */
    private static Span summary(List<PointKey> points) {
        PointKey min = null;
        PointKey max = null;
        PointKey nan = null;
        for (PointKey p : points) {
            if (p.nan()) {
                nan = nan == null ? p : nan;
            } else {
                min = min == null || p.value() < min.value() ? p : min;
                max = max == null || p.value() > max.value() ? p : max;
            }
        }
        return new Span(points.get(0), points.get(points.size() - 1), points.size(), min, max, nan);
    }

    /**
     * The blocks of the series, read back, cover its stored points in order without gaps or
     * overlaps, and each one's count, ends and earliest extremes are those of its points.
     */
    static void assertBlocksSummarizePoints(Database db, String run, String key, String label) {
        long seriesId = seriesId(db, run, key);
        db.read(h -> {
            try {
                List<PointKey> points = new ArrayList<>();
                PointRangeDao.points(h.getConnection(), seriesId, null, null, points::add);
                List<Block> blocks = MetricBlockDao.window(h.getConnection(), seriesId, Long.MIN_VALUE, Long.MAX_VALUE);
                int i = 0;
                for (Block block : blocks) {
                    Span b = block.span();
                    assertTrue(b.count() <= Block.POINTS, label + ": block of " + b.count());
                    assertEquals(points.get(i), b.first(), label + ": a block does not start at the next point");
                    assertEquals(summary(points.subList(i, i + (int) b.count())), b, label + ": block " + b.first());
                    int k = i;
                    for (Span chunk : block.chunks()) {
                        assertTrue(chunk.count() == Block.CHUNK_POINTS || k + chunk.count() == i + b.count(), label + ": short chunk");
                        assertEquals(summary(points.subList(k, k + (int) chunk.count())), chunk, label + ": chunk " + chunk.first());
                        k += (int) chunk.count();
                    }
                    assertEquals(i + b.count(), k, label + ": chunks do not hold the block's points");
                    i += (int) b.count();
                }
                assertEquals(points.size(), i, label + ": points outside every block");
                assertNotNull(points.get(0));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }
}
