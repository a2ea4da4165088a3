package dev.labbook.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.store.testing.TestDatabases;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims and heartbeats of one sweep from many threads at once, on the suite's database: on
 * PostgreSQL they run side by side, with row locks ({@code FOR UPDATE SKIP LOCKED} on the trials,
 * the sweep's row for numbering) deciding who gets what.
 */
class SweepClaimConcurrencyTest {
    private static final String GRID = """
            name: concurrent
            experiment: concurrent-claims
            method: grid
            metric: {name: loss, goal: minimize}
            lease_seconds: 10
            max_retries: 1
            parameters:
              a: {values: [1, 2, 3, 4]}
              b: {values: [x, y, z]}
            """;
    private static final int COMBINATIONS = 12;
    private static final int THREADS = 6;

    @TempDir
    Path dir;
    private Database db;
    private JdbcTrackingStore tracking;
    private JdbcSweepStore sweeps;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @BeforeEach
    void open() {
        db = TestDatabases.openAt(dir.resolve("labbook.db"));
        tracking = new JdbcTrackingStore(db);
        sweeps = new JdbcSweepStore(db, tracking, clock::get);
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        sweeps.close();
        tracking.close();
        db.close();
    }

    @Test
    void concurrentClaimersGetDistinctTrials() throws Exception {
        Sweep s = sweeps.createSweep(GRID, null);
        List<Trial> claimed = Collections.synchronizedList(new ArrayList<>());
        runTogether(agent -> {
            for (Trial t; (t = sweeps.claim(s.sweepId(), agent).trial()) != null; ) {
                claimed.add(t);
            }
            return null;
        });
        assertEquals(COMBINATIONS, claimed.size(), "every combination handed out once: " + claimed);
        assertEquals(COMBINATIONS, claimed.stream().map(Trial::trialId).distinct().count());
        assertEquals(COMBINATIONS, claimed.stream().map(Trial::params).distinct().count());
        assertEquals(COMBINATIONS, claimed.stream().map(Trial::runId).distinct().count());
        Set<Integer> numbers = claimed.stream().map(Trial::number).collect(Collectors.toSet());
        assertEquals(COMBINATIONS, numbers.size());
        List<Trial> stored = sweeps.listTrials(s.sweepId());
        assertEquals(COMBINATIONS, stored.size());
        assertTrue(stored.stream().allMatch(t -> t.state() == TrialState.RUNNING), stored.toString());
    }

    @Test
    void expiredTrialsAreRetriedOnceWhateverClaimsAndHeartbeatsMeetThem() throws Exception {
        Sweep s = sweeps.createSweep(GRID, null);
        List<Trial> dead = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dead.add(sweeps.claim(s.sweepId(), "dead-" + i).trial());
        }
        clock.addAndGet(9_000);
        Trial live = sweeps.claim(s.sweepId(), "live").trial();
        clock.addAndGet(2_000); // the first four leases are over, the live one's is not
        List<Trial> claimed = Collections.synchronizedList(new ArrayList<>());
        runTogether(agent -> {
            int me = Integer.parseInt(agent.substring("agent-".length()));
            if (me % 2 == 0) {
                for (int k = 0; k < 3; k++) {
                    assertFalse(sweeps.heartbeat(live.trialId(), "live").leaseLost());
                }
            } else {
                for (Trial t; (t = sweeps.claim(s.sweepId(), agent).trial()) != null; ) {
                    claimed.add(t);
                }
            }
            return null;
        });
        List<Trial> stored = sweeps.listTrials(s.sweepId());
        Set<String> deadIds = dead.stream().map(Trial::trialId).collect(Collectors.toSet());
        for (Trial t : stored) {
            if (deadIds.contains(t.trialId())) {
                assertEquals(TrialState.FAILED, t.state(), t.toString());
            }
        }
        List<String> retried = stored.stream().filter(t -> t.retryOf() != null).map(Trial::retryOf).toList();
        assertEquals(deadIds, new HashSet<>(retried), "each expired trial retried: " + stored);
        assertEquals(deadIds.size(), retried.size(), "and only once: " + stored);
        // the retries and the combinations not handed out yet went to the claimers, each once
        assertEquals(4 + COMBINATIONS - 5, claimed.size(), claimed.toString());
        assertEquals(claimed.size(), claimed.stream().map(Trial::trialId).distinct().count());
        Set<Map<String, Object>> running = new HashSet<>();
        for (Trial t : stored) {
            if (t.state() == TrialState.RUNNING) {
                assertTrue(running.add(t.params()), "two running trials with " + t.params());
            }
        }
        assertEquals(COMBINATIONS, running.size());
        assertEquals(stored.size(), stored.stream().map(Trial::number).distinct().count());
    }

    /** Runs the task on {@value #THREADS} threads released together (agent names agent-0...), and waits for all. */
    private void runTogether(Callable1 task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Void>> done = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String agent = "agent-" + i;
            done.add(pool.submit((Callable<Void>) () -> {
                go.await();
                return task.call(agent);
            }));
        }
        go.countDown();
        for (Future<Void> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    @FunctionalInterface
    private interface Callable1 {
        Void call(String agent) throws Exception;
    }
}
