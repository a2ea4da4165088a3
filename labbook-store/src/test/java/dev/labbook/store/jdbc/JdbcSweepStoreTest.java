package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.sweep.Claim;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepState;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.Verdict;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep store on a real SQLite file, with a clock the test drives (leases without waiting). */
class JdbcSweepStoreTest {
    @TempDir
    Path dir;
    private Database db;
    private JdbcTrackingStore tracking;
    private JdbcSweepStore sweeps;
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @BeforeEach
    void open() {
        db = TestDatabases.openAt(dir.resolve("labbook.db"));
        tracking = new JdbcTrackingStore(db);
        sweeps = new JdbcSweepStore(db, tracking, clock::get);
    }

    @AfterEach
    void close() {
        sweeps.close();
        tracking.close();
        db.close();
    }

    private static final String GRID = """
            name: g
            experiment: sweeps-test
            method: grid
            metric: {name: loss, goal: minimize}
            lease_seconds: 10
            max_retries: 1
            parameters:
              a: {values: [1, 2]}
              b: {values: [x, y]}
            """;

    @Test
    void aGridSweepHandsOutEachCombinationOnceAsChildRunsThenFinishes() {
        Sweep s = sweeps.createSweep(GRID, null);
        Run parent = tracking.getRun(s.parentRunId()).orElseThrow();
        assertEquals(s.experimentId(), parent.info().experimentId());
        assertTrue(parent.data().tags().contains(new RunTag(JdbcSweepStore.SWEEP_ID_TAG, s.sweepId())));
        assertEquals("sweeps-test", tracking.getExperiment(s.experimentId()).orElseThrow().name());

        Set<Map<String, Object>> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Trial t = sweeps.claim(s.sweepId(), "a1").trial();
            assertNotNull(t);
            assertTrue(seen.add(t.params()));
            Run run = tracking.getRun(t.runId()).orElseThrow();
            assertTrue(run.data().tags().contains(new RunTag("mlflow.parentRunId", s.parentRunId())));
            assertEquals(RunStatus.RUNNING, run.info().status());
            tracking.logMetric(t.runId(), new Metric("loss", 10 - i, clock.get(), 0));
            Trial done = sweeps.finishTrial(t.trialId(), "a1", TrialState.COMPLETE, null);
            assertEquals(10.0 - i, done.value(), "the value is the run's latest loss");
            assertEquals(RunStatus.FINISHED, tracking.getRun(t.runId()).orElseThrow().info().status());
        }
        Claim none = sweeps.claim(s.sweepId(), "a1");
        assertNull(none.trial());
        assertTrue(none.finished());
        Sweep after = sweeps.getSweep(s.sweepId());
        assertEquals(SweepState.FINISHED, after.state());
        assertEquals(7.0, after.bestValue());
        assertEquals(RunStatus.FINISHED, tracking.getRun(s.parentRunId()).orElseThrow().info().status());
        assertEquals(4, tracking.getMetricHistory(s.parentRunId(), "best_loss", 100, null).items().size());
    }

    @Test
    void aSilentAgentsTrialFailsAfterItsLeaseAndIsQueuedAgainAtMostMaxRetriesTimes() {
        Sweep s = sweeps.createSweep(GRID, null);
        Trial first = sweeps.claim(s.sweepId(), "dead").trial();
        clock.addAndGet(9_000);
        assertFalse(sweeps.heartbeat(first.trialId(), "dead").leaseLost(), "within the lease");
        clock.addAndGet(9_000);
        Trial other = sweeps.claim(s.sweepId(), "live").trial();
        assertTrue(!other.params().equals(first.params()), "the lease (renewed by the heartbeat) has not expired yet");
        clock.addAndGet(2_000); // 11 s after the heartbeat
        Trial retry = sweeps.claim(s.sweepId(), "live").trial();
        assertEquals(first.params(), retry.params(), "the expired trial is queued again and handed out first");
        assertEquals(1, retry.attempt());
        assertEquals(first.trialId(), retry.retryOf());
        Trial failed = sweeps.listTrials(s.sweepId()).stream().filter(t -> t.trialId().equals(first.trialId())).findFirst().orElseThrow();
        assertEquals(TrialState.FAILED, failed.state());
        assertEquals(RunStatus.FAILED, tracking.getRun(first.runId()).orElseThrow().info().status());
        assertTrue(sweeps.heartbeat(first.trialId(), "dead").leaseLost(), "the dead agent learns it lost the trial");
        assertEquals(TrialState.FAILED, sweeps.finishTrial(first.trialId(), "dead", TrialState.COMPLETE, 1.0).state(),
                "a late finish does not bring the failed trial back");

        clock.addAndGet(20_000); // the retry and the other trial expire too; the retry has no retries left
        Trial next = sweeps.claim(s.sweepId(), "live").trial();
        assertEquals(other.params(), next.params(), "the other trial's first retry");
        long queuedAgain = sweeps.listTrials(s.sweepId()).stream()
                .filter(t -> t.params().equals(first.params()) && t.state() == TrialState.QUEUED).count();
        assertEquals(0, queuedAgain, "max_retries 1: the first trial's parameters are not queued a third time");
    }

    @Test
    void pruningFollowsReportsAndKillsTheRun() {
        Sweep s = sweeps.createSweep("""
                method: random
                seed: 1
                metric: {name: acc, goal: maximize}
                early_terminate: {type: asha, grace_period: 1, reduction_factor: 2, max_t: 8}
                parameters: {x: {min: 0.0, max: 1.0}}
                """, null);
        Trial good = sweeps.claim(s.sweepId(), "a").trial();
        assertFalse(sweeps.report(good.trialId(), "a", 1, 0.9).prune());
        Trial bad = sweeps.claim(s.sweepId(), "b").trial();
        // the heartbeat reads the run's own metric: a program logging through any MLflow client
        tracking.logMetric(bad.runId(), new Metric("acc", 0.1, clock.get(), 1));
        Verdict v = sweeps.heartbeat(bad.trialId(), "b");
        assertTrue(v.prune(), "at rung 1, 0.1 is not in the top half of {0.9, 0.1}");
        Trial pruned = sweeps.finishTrial(bad.trialId(), "b", TrialState.PRUNED, null);
        assertEquals(1L, pruned.prunedAtStep());
        assertEquals(0.1, pruned.value());
        Run run = tracking.getRun(bad.runId()).orElseThrow();
        assertEquals(RunStatus.KILLED, run.info().status());
        assertTrue(run.data().tags().contains(new RunTag(JdbcSweepStore.PRUNED_TAG, "true")));
        assertEquals(1, tracking.getMetricHistory(good.runId(), "acc", 10, null).items().size(), "reports are logged to the run");
    }

    @Test
    void runCapStopAndErrors() {
        Sweep s = sweeps.createSweep("method: random\nrun_cap: 1\nparameters: {x: {min: 0, max: 9}}", null);
        assertEquals("0", s.experimentId(), "no experiment named: the Default one");
        Trial t = sweeps.claim(s.sweepId(), "a").trial();
        Claim wait = sweeps.claim(s.sweepId(), "b");
        assertNull(wait.trial());
        assertFalse(wait.finished(), "the cap is reached but a trial still runs (and may be queued again)");
        sweeps.finishTrial(t.trialId(), "a", TrialState.COMPLETE, 3.0);
        assertTrue(sweeps.claim(s.sweepId(), "b").finished());

        Sweep stopped = sweeps.stopSweep(sweeps.createSweep("method: random\nparameters: {x: {value: 1}}", null).sweepId());
        assertEquals(SweepState.STOPPED, stopped.state());
        assertTrue(sweeps.claim(stopped.sweepId(), "a").finished());
        assertEquals(2, sweeps.listSweeps(null).size());
        assertEquals(List.of(), sweeps.listSweeps("12345"));

        LabbookException e = assertThrows(LabbookException.class, () -> sweeps.claim("nope", "a"));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                assertThrows(LabbookException.class, () -> sweeps.createSweep("method: x", null)).code());
    }
}
