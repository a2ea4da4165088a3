package dev.labbook.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.store.NewRun;
import dev.labbook.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores, each with its own database pool, write lock and caches, as two server replicas have,
 * on one database (an SQLite file, or PostgreSQL with {@code -Dlabbook.test.db=postgresql}):
 * writers through both append to the same metric series at once, in order, out of order and
 * replaying each other's points. Afterwards every point is stored once, the
 * blocks summarize exactly the stored points and charts read through either store pick what the
 * reference downsampler picks from every point (see {@link BlockSamplerTest}).
 */
class ReplicaWritersTest {
    @TempDir
    Path dir;

    @Test
    void twoReplicasAppendingToOneSeriesKeepItsBlocksExact() throws Exception {
        String uri = TestDatabases.uri(dir);
        try (Database dbA = Database.open(uri); Database dbB = Database.open(uri);
                JdbcTrackingStore a = new JdbcTrackingStore(dbA); JdbcTrackingStore b = new JdbcTrackingStore(dbB)) {
            for (int seed = 1; seed <= 3; seed++) {
                Random rnd = new Random(seed * 7919L);
                String run = a.createRun(new NewRun("0", "u", 0, "two-writers-" + seed, List.of())).runId();
                List<Metric> points = BlockSamplerTest.series(rnd, "m", 4 * Block.POINTS + rnd.nextInt(4 * Block.POINTS));
                // A logs the even positions in shuffled batches, B the odd ones in order; each also
                // replays a stretch of what the other logs (a client retrying to the other replica)
                List<Metric> forA = new ArrayList<>();
                List<Metric> forB = new ArrayList<>();
                for (int i = 0; i < points.size(); i++) {
                    (i % 2 == 0 ? forA : forB).add(points.get(i));
                }
                forA.addAll(forB.subList(forB.size() / 3, forB.size() / 2));
                forB.addAll(forA.subList(0, forA.size() / 5));
                forA = BlockSamplerTest.arrange(forA, BlockSamplerTest.Order.SHUFFLED_BATCHES, rnd);
                List<List<Metric>> batchesA = batches(forA, rnd);
                List<List<Metric>> batchesB = batches(forB, rnd);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                CountDownLatch start = new CountDownLatch(1);
                try {
                    List<Future<?>> writers = List.of(
                            pool.submit(() -> write(start, a, run, batchesA, "a")),
                            pool.submit(() -> write(start, b, run, batchesB, "b")));
                    start.countDown();
                    for (Future<?> w : writers) {
                        w.get(5, TimeUnit.MINUTES);
                    }
                } finally {
                    pool.shutdownNow();
                }
                String label = "seed " + seed;
                Set<PointKey> distinct = new HashSet<>();
                for (Metric m : points) {
                    distinct.add(PointKey.of(m.step(), m.timestamp(), m.value()));
                }
                long stored = dbB.read(h -> h.createQuery("SELECT COUNT(*) FROM metric_points p JOIN metric_series s"
                        + " ON s.series_id = p.series_id JOIN runs r ON r.run_pk = s.run_pk WHERE r.run_uuid = ?")
                        .bind(0, run).mapTo(Long.class).one());
                assertEquals(distinct.size(), stored, label + ": every point once");
                assertEquals(batchesA.size() + batchesB.size(), b.getRun(run).orElseThrow().data().params().size(), label);
                BlockSamplerTest.assertBlocksSummarizePoints(dbA, run, "m", label);
                BlockSamplerTest.assertSamplesMatch(dbB, b, run, "m", rnd, label + " through B");
                BlockSamplerTest.assertSamplesMatch(dbA, a, run, "m", rnd, label + " through A");
            }
        }
    }

    private static Void write(CountDownLatch start, JdbcTrackingStore store, String run, List<List<Metric>> batches, String who)
            throws InterruptedException {
        start.await();
        for (int i = 0; i < batches.size(); i++) {
            store.logBatch(run, batches.get(i), List.of(new Param(who + "-" + i, "1")), List.of());
        }
        return null;
    }

    /** Batches of 1 to 300 points, small enough that the two writers interleave many times. */
    private static List<List<Metric>> batches(List<Metric> points, Random rnd) {
        List<List<Metric>> out = new ArrayList<>();
        for (int i = 0; i < points.size(); ) {
            int n = Math.min(points.size() - i, 1 + rnd.nextInt(300));
            out.add(Collections.unmodifiableList(new ArrayList<>(points.subList(i, i + n))));
            i += n;
        }
        return out;
    }
}
