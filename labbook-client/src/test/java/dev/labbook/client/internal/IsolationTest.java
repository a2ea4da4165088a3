package dev.labbook.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.TrackingClient;
import dev.labbook.client.spool.Checkpoint;
import dev.labbook.client.spool.Records;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.client.spool.SpoolWriter;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bisection against a real server: how many requests it costs, and that a transport failure in
 * the middle of it neither moves the checkpoint nor duplicates anything.
 */
class IsolationTest {
    @TempDir
    Path tmp;
    LabbookServer server;
    TrackingClient client;
    String runId;

    /**
     * The real HTTP backend, counting log-batch requests; after {@code loseAnswersFrom} requests
     * every further one still reaches the server but its answer is "lost" (a retryable failure),
     * the worst case for idempotency.
     */
    static final class LossyBackend implements Backend {
        final HttpBackend real;
        int logBatches;
        volatile int loseAnswersFrom = Integer.MAX_VALUE;

        LossyBackend(TrackingClient client) {
            this.real = new HttpBackend(client);
        }

        @Override
        public void logBatch(String runId, Batch batch) {
            logBatches++;
            real.logBatch(runId, batch);
            if (logBatches > loseAnswersFrom) {
                throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "answer lost");
            }
        }

        @Override
        public RunMeta createRun(RunMeta meta, boolean mayExist) {
            return real.createRun(meta, mayExist);
        }

        @Override
        public RunMeta attach(RunMeta meta, String runId) {
            return real.attach(meta, runId);
        }

        @Override
        public boolean runGone(String runId) {
            return real.runGone(runId);
        }

        @Override
        public void logInputs(String runId, List<DatasetInput> inputs) {
            real.logInputs(runId, inputs);
        }

        @Override
        public void endRun(String runId, RunStatus status, long endTime) {
            real.endRun(runId, status, endTime);
        }

        @Override
        public void upload(RunMeta run, Path local, String artifactDir) {
            real.upload(run, local, artifactDir);
        }

        @Override
        public String describe() {
            return real.describe();
        }
    }

    @BeforeEach
    void start() {
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")));
        client = TrackingClient.of("http://127.0.0.1:" + server.port());
        runId = client.createRun(client.getOrCreateExperiment("isolation"), "r", 0,
                List.of(new RunTag(HttpBackend.CLIENT_RUN_ID_TAG, "c0ffee"))).info().runId();
        client.logParam(runId, "lr", "0.1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void assertPoints(int n) {
        List<Metric> history = client.getMetricHistory(runId, "loss");
        assertEquals(n, history.size());
        assertEquals(n, new HashSet<>(history).size(), "no point stored twice");
    }

    @Test
    void oneRefusedEntryAmongAThousandCostsAtMostTwoRequestsPerHalving() {
        Batch b = new Batch();
        for (int i = 0; i < 999; i++) {
            b.metrics.add(new Metric("loss", i, 1_000 + i, i));
        }
        b.params.put("lr", "0.2");
        LossyBackend backend = new LossyBackend(client);
        Rejections rejections = new Rejections();
        new Isolator(backend, rejections).deliver(runId, b);

        assertPoints(999);
        assertEquals(1, rejections.total());
        assertEquals("lr", rejections.list().get(0).key());
        // the whole batch, then per halving one or two halves: the refused entry is last, so one
        assertEquals(12, backend.logBatches);
    }

    @Test
    void whereverTheRefusedEntryIsTheOthersArriveOnce() {
        LossyBackend backend = new LossyBackend(client);
        Rejections rejections = new Rejections();
        Isolator isolator = new Isolator(backend, rejections);
        int[] positions = {0, 1, 333, 500, 998, 999};
        for (int bad : positions) {
            String key = "loss-" + bad;
            Batch b = new Batch();
            for (int i = 0; i < 1000; i++) {
                // a negative timestamp: the client's checks let it through, the server refuses it
                b.metrics.add(new Metric(key, i, i == bad ? -1 : 1_000 + i, i));
            }
            int before = backend.logBatches;
            isolator.deliver(runId, b);
            isolator.reset();
            List<Metric> history = client.getMetricHistory(runId, key);
            assertEquals(999, history.size(), key);
            assertEquals(999, new HashSet<>(history).size(), key);
            assertTrue(history.stream().noneMatch(m -> m.step() == bad), key);
            assertTrue(backend.logBatches - before <= 1 + 2 * 10, (backend.logBatches - before) + " requests for " + key);
        }
        assertEquals(positions.length, rejections.total());
    }

    @Test
    void aLostAnswerInTheMiddleOfABisectionKeepsTheCheckpointAndDuplicatesNothing() {
        Path dir = tmp.resolve("spool").resolve("c0ffee");
        var run = client.getRun(runId).info();
        RunMeta meta = new RunMeta("c0ffee", "http://127.0.0.1:" + server.port(), "isolation", "r", "test", 0, Map.of(),
                null, runId, run.experimentId(), run.artifactUri());
        meta.write(dir);
        try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> { })) {
            w.param("lr", "0.2");
            for (int i = 0; i < 999; i++) {
                w.metric("loss", i, 1_000 + i, i);
            }
            w.status(RunStatus.FINISHED.ordinal(), 5_000);
        }
        long start;
        try (Checkpoint c = new Checkpoint(dir)) {
            start = c.get();
        }
        assertEquals(Records.position(0, Records.HEADER), start);

        LossyBackend backend = new LossyBackend(client);
        backend.loseAnswersFrom = 4; // the whole batch and three parts, then nothing is acknowledged any more
        Sender sender = new Sender(dir, meta, backend, null, false);
        assertFalse(sender.drain(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500)));
        assertEquals(0, sender.acknowledged());
        try (Checkpoint c = new Checkpoint(dir)) {
            assertEquals(start, c.get(), "a delivery half done is not acknowledged");
        }
        assertTrue(backend.logBatches > 5, "the parts were retried: " + backend.logBatches);

        backend.loseAnswersFrom = Integer.MAX_VALUE;
        assertTrue(sender.drain(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        assertEquals(1001, sender.acknowledged());
        assertEquals(1, sender.rejectedEntries(), "the refused param is reported once");
        assertEquals(0, sender.dropped());
        assertPoints(999);
        assertEquals("0.1", client.getRun(runId).data().params().get(0).value());
        assertEquals(RunStatus.FINISHED, client.getRun(runId).info().status());
    }

    @Test
    void aPartRefusedAsAWholeForAnotherReasonIsNotBisected() {
        LossyBackend backend = new LossyBackend(client);
        Batch b = new Batch();
        for (int i = 0; i < 10; i++) {
            b.metrics.add(new Metric("loss", i, 1_000 + i, i));
        }
        assertThrows(LabbookException.class, () -> new Isolator(backend, new Rejections()).deliver("no-such-run", b));
        assertEquals(1, backend.logBatches, "an unknown run is not a refused entry");
    }
}
