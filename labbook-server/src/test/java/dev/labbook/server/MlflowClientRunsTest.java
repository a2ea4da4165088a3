package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/** The run lifecycle and logging through the official MLflow Java client. */
class MlflowClientRunsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static String experimentId;

    @BeforeAll
    static void createExperiment() {
        experimentId = server.client().createExperiment("runs-test");
    }

    private MlflowClient client() {
        return server.client();
    }

    private String newRun(String name) {
        return client().createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName(name)
                .setStartTime(System.currentTimeMillis()).build()).getRunId();
    }

    @Test
    void createRunWithNameTagsAndStartTime() {
        RunInfo info = client().createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName("first-run")
                .setStartTime(1_700_000_000_123L)
                .setUserId("alice")
                .addTags(RunTag.newBuilder().setKey("team").setValue("vision"))
                .addTags(RunTag.newBuilder().setKey("mlflow.note.content").setValue("hello"))
                .build());
        assertFalse(info.getRunId().isEmpty());
        assertEquals(info.getRunId(), info.getRunUuid());
        assertEquals("first-run", info.getRunName());
        assertEquals(experimentId, info.getExperimentId());
        assertEquals("alice", info.getUserId());
        assertEquals(1_700_000_000_123L, info.getStartTime());
        assertEquals(RunStatus.RUNNING, info.getStatus());
        assertEquals("active", info.getLifecycleStage());
        assertFalse(info.hasEndTime(), "a running run has no end time");
        assertFalse(info.getArtifactUri().isEmpty());

        Run run = client().getRun(info.getRunId());
        assertEquals(info, run.getInfo());
        Map<String, String> tags = tags(run);
        assertEquals("vision", tags.get("team"));
        assertEquals("hello", tags.get("mlflow.note.content"));
        assertEquals("first-run", tags.get("mlflow.runName"));
        assertEquals(0, run.getData().getMetricsCount());
        assertEquals(0, run.getData().getParamsCount());
    }

    @Test
    void runWithoutANameGetsOne() {
        RunInfo info = client().createRun(experimentId);
        assertFalse(info.getRunName().isEmpty());
        assertEquals(info.getRunName(), tags(client().getRun(info.getRunId())).get("mlflow.runName"));
    }

    @Test
    void runNameMayComeFromTheRunNameTag() {
        RunInfo info = client().createRun(CreateRun.newBuilder().setExperimentId(experimentId)
                .setStartTime(5L).addTags(RunTag.newBuilder().setKey("mlflow.runName").setValue("from-tag")).build());
        assertEquals("from-tag", info.getRunName());
    }

    @Test
    void createRunInTheDefaultExperiment() {
        RunInfo info = client().createRun();
        assertEquals("0", info.getExperimentId());
    }

    @Test
    void paramsAreWriteOnce() {
        String run = newRun("params");
        client().logParam(run, "lr", "0.01");
        client().logParam(run, "lr", "0.01"); // the same value again is fine
        client().logParam(run, "empty", "");
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().logParam(run, "lr", "0.02"));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("INVALID_PARAMETER_VALUE"), e.getBodyMessage());
        assertEquals(Map.of("lr", "0.01", "empty", ""), params(client().getRun(run)));
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        String run = newRun("special-values");
        client().logMetric(run, "nan", Double.NaN, 1000L, 0);
        client().logMetric(run, "pinf", Double.POSITIVE_INFINITY, 1000L, 0);
        client().logMetric(run, "ninf", Double.NEGATIVE_INFINITY, 1000L, 0);
        client().logMetric(run, "zero", -0.0, 1000L, 0);
        client().logMetric(run, "tiny", Double.MIN_VALUE, 1000L, 0);
        client().logMetric(run, "huge", -Double.MAX_VALUE, 1000L, 0);

        Map<String, Double> latest = client().getRun(run).getData().getMetricsList().stream()
                .collect(Collectors.toMap(Metric::getKey, Metric::getValue));
        assertTrue(Double.isNaN(latest.get("nan")), "NaN: " + latest);
        assertEquals(Double.POSITIVE_INFINITY, latest.get("pinf"));
        assertEquals(Double.NEGATIVE_INFINITY, latest.get("ninf"));
        assertEquals(0.0, latest.get("zero"), 0.0);
        assertEquals(Double.MIN_VALUE, latest.get("tiny"));
        assertEquals(-Double.MAX_VALUE, latest.get("huge"));

        List<Metric> nan = client().getMetricHistory(run, "nan");
        assertEquals(1, nan.size());
        assertTrue(Double.isNaN(nan.get(0).getValue()));
        assertEquals(Double.POSITIVE_INFINITY, client().getMetricHistory(run, "pinf").get(0).getValue());
        assertEquals(Double.NEGATIVE_INFINITY, client().getMetricHistory(run, "ninf").get(0).getValue());
    }

    @Test
    void logMetricAppendsAndTheRunShowsTheLatestStep() {
        String run = newRun("metric-append");
        client().logMetric(run, "loss", 1.0, 100L, 0);
        client().logMetric(run, "loss", 0.5, 300L, 2);
        client().logMetric(run, "loss", 0.7, 200L, 1);
        client().logMetric(run, "loss", 0.9, 50L, 1); // same step, earlier timestamp
        Metric latest = client().getRun(run).getData().getMetricsList().get(0);
        assertEquals("loss", latest.getKey());
        assertEquals(0.5, latest.getValue());
        assertEquals(2, latest.getStep());
        assertEquals(300L, latest.getTimestamp());

        List<Metric> history = client().getMetricHistory(run, "loss");
        assertEquals(List.of(0L, 1L, 1L, 2L), history.stream().map(Metric::getStep).collect(Collectors.toList()));
        assertEquals(List.of(1.0, 0.9, 0.7, 0.5), history.stream().map(Metric::getValue).collect(Collectors.toList()));
        assertEquals(List.of(100L, 50L, 200L, 300L), history.stream().map(Metric::getTimestamp).collect(Collectors.toList()));
    }

    @Test
    void historyOfAMetricNeverLoggedIsEmpty() {
        String run = newRun("no-metric");
        assertEquals(List.of(), client().getMetricHistory(run, "never"));
    }

    @Test
    void setOverwriteAndDeleteTags() {
        String run = newRun("tags");
        client().setTag(run, "stage", "train");
        client().setTag(run, "stage", "eval");
        client().setTag(run, "blank", "");
        assertEquals("eval", tags(client().getRun(run)).get("stage"));
        assertEquals("", tags(client().getRun(run)).get("blank"));

        client().deleteTag(run, "stage");
        assertFalse(tags(client().getRun(run)).containsKey("stage"));
        assertTrue(tags(client().getRun(run)).containsKey("blank"));

        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().deleteTag(run, "stage"));
        assertEquals(404, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getBodyMessage());
    }

    @Test
    void setTagOfTheRunNameRenamesTheRun() {
        String run = newRun("old-name");
        client().setTag(run, "mlflow.runName", "new-name");
        assertEquals("new-name", client().getRun(run).getInfo().getRunName());
    }

    @Test
    void logBatchStoresMetricsParamsAndTags() {
        String run = newRun("batch");
        client().logBatch(run,
                List.of(metric("acc", 0.1, 10, 0), metric("acc", 0.2, 20, 1), metric("acc", 0.3, 30, 2),
                        metric("loss", 2.0, 10, 0), metric("loss", 1.0, 20, 1)),
                List.of(param("model", "cnn"), param("layers", "3")),
                List.of(tag("owner", "bob"), tag("phase", "one")));
        client().logBatch(run, List.of(metric("acc", 0.4, 40, 3)), List.of(param("model", "cnn")),
                List.of(tag("phase", "two")));

        Run r = client().getRun(run);
        Map<String, Double> latest = r.getData().getMetricsList().stream()
                .collect(Collectors.toMap(Metric::getKey, Metric::getValue));
        assertEquals(Map.of("acc", 0.4, "loss", 1.0), latest);
        assertEquals(Map.of("model", "cnn", "layers", "3"), params(r));
        assertEquals("bob", tags(r).get("owner"));
        assertEquals("two", tags(r).get("phase"));
        assertEquals(List.of(0.1, 0.2, 0.3, 0.4),
                client().getMetricHistory(run, "acc").stream().map(Metric::getValue).collect(Collectors.toList()));
    }

    @Test
    void logBatchWithAConflictingParamStoresNothing() {
        String run = newRun("batch-conflict");
        client().logParam(run, "model", "cnn");
        MlflowHttpException e = assertThrows(MlflowHttpException.class, () -> client().logBatch(run,
                List.of(metric("acc", 0.9, 1, 0)), List.of(param("extra", "x"), param("model", "rnn")),
                List.of(tag("t", "v"))));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getBodyMessage().contains("INVALID_PARAMETER_VALUE"), e.getBodyMessage());
        Run r = client().getRun(run);
        assertEquals(0, r.getData().getMetricsCount());
        assertEquals(Map.of("model", "cnn"), params(r));
        assertFalse(tags(r).containsKey("t"));
    }

    @Test
    void setTerminatedSetsStatusAndEndTime() {
        String finished = newRun("finished");
        client().setTerminated(finished, RunStatus.FINISHED, 1_800_000_000_000L);
        RunInfo info = client().getRun(finished).getInfo();
        assertEquals(RunStatus.FINISHED, info.getStatus());
        assertTrue(info.hasEndTime());
        assertEquals(1_800_000_000_000L, info.getEndTime());

        String failed = newRun("failed");
        client().setTerminated(failed, RunStatus.FAILED);
        assertEquals(RunStatus.FAILED, client().getRun(failed).getInfo().getStatus());
        assertTrue(client().getRun(failed).getInfo().getEndTime() > 0);

        String plain = newRun("plain-finish");
        long before = System.currentTimeMillis();
        client().setTerminated(plain);
        RunInfo p = client().getRun(plain).getInfo();
        assertEquals(RunStatus.FINISHED, p.getStatus());
        assertTrue(p.getEndTime() >= before - 1000, "end time " + p.getEndTime() + " before " + before);
    }

    @Test
    void deleteAndRestoreRun() {
        String run = newRun("to-delete");
        client().logParam(run, "p", "1");
        client().deleteRun(run);
        assertEquals("deleted", client().getRun(run).getInfo().getLifecycleStage());

        // A deleted run is still readable, but refuses writes.
        assertRejected(400, "INVALID_PARAMETER_VALUE", () -> client().logMetric(run, "m", 1.0));
        assertRejected(400, "INVALID_PARAMETER_VALUE", () -> client().setTag(run, "t", "v"));

        client().restoreRun(run);
        RunInfo info = client().getRun(run).getInfo();
        assertEquals("active", info.getLifecycleStage());
        assertEquals(Map.of("p", "1"), params(client().getRun(run)));
        client().logMetric(run, "m", 1.0);
    }

    @Test
    void unknownRunIs404() {
        String missing = "0123456789abcdef0123456789abcdef";
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().getRun(missing));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().logMetric(missing, "m", 1.0));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().logParam(missing, "p", "v"));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().setTag(missing, "t", "v"));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().deleteRun(missing));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().restoreRun(missing));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().setTerminated(missing));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().getMetricHistory(missing, "m"));
        assertRejected(404, "RESOURCE_DOES_NOT_EXIST", () -> client().createRun("424242"));
    }

    private static void assertRejected(int status, String code, Executable call) {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, call);
        assertEquals(status, e.getStatusCode(), e.getBodyMessage());
        assertTrue(e.getBodyMessage().contains(code), e.getBodyMessage());
    }

    static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(value).build();
    }

    static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(value).build();
    }
}
