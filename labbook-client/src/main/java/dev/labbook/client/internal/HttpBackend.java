package dev.labbook.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.labbook.client.TrackingClient;
import dev.labbook.client.spool.RunMeta;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Delivers to a tracking server speaking the MLflow REST API. */
public final class HttpBackend implements Backend {
    /** The tag that lets a run be found again by the id the client gave it. */
    public static final String CLIENT_RUN_ID_TAG = "labbook.client_run_id";

    private final TrackingClient client;

    public HttpBackend(TrackingClient client) {
        this.client = client;
    }

    public TrackingClient client() {
        return client;
    }

    @Override
    public RunMeta createRun(RunMeta meta, boolean mayExist) {
        String experimentId = meta.experimentId() != null ? meta.experimentId() : client.getOrCreateExperiment(meta.experimentName());
        if (mayExist) {
            List<Run> found = client.searchRuns(List.of(experimentId),
                    "tags.`" + CLIENT_RUN_ID_TAG + "` = '" + meta.clientRunId() + "'", 1, List.of(), null).items();
            if (!found.isEmpty()) {
                var info = found.get(0).info();
                return meta.created(info.runId(), experimentId, info.artifactUri());
            }
        }
        List<RunTag> tags = new ArrayList<>();
        meta.createTags().forEach((k, v) -> tags.add(new RunTag(k, v)));
        tags.add(new RunTag(CLIENT_RUN_ID_TAG, meta.clientRunId()));
        if (meta.userId() != null) {
            tags.add(new RunTag("mlflow.user", meta.userId()));
        }
        Run run = client.createRun(experimentId, meta.runName(), meta.startTime(), tags);
        return meta.created(run.info().runId(), experimentId, run.info().artifactUri());
    }

    @Override
    public RunMeta attach(RunMeta meta, String runId) {
        var info = client.getRun(runId).info();
        return meta.created(runId, info.experimentId(), info.artifactUri());
    }

    @Override
    public void logBatch(String runId, Batch batch) {
        byte[] body = encode(runId, batch);
        if (body.length > Batch.MAX_BODY && batch.items() > 1) {
            for (Batch half : batch.split()) {
                logBatch(runId, half);
            }
            return;
        }
        client.logBatchJson(body);
    }

    @Override
    public boolean runGone(String runId) {
        try {
            return client.getRun(runId).info().lifecycleStage() == LifecycleStage.DELETED;
        } catch (LabbookException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return true;
            }
            if (Http.isRetryable(e)) {
                throw e;
            }
            return false; // the run cannot be read (e.g. permissions): look for a refused entry, as if it existed
        }
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        client.logInputs(runId, inputs);
    }

    @Override
    public void endRun(String runId, RunStatus status, long endTime) {
        client.updateRun(runId, status, endTime);
    }

    @Override
    public void upload(RunMeta run, Path local, String artifactDir) {
        if (!Files.exists(local)) {
            throw LabbookException.invalid("Artifact %s no longer exists; it cannot be uploaded", local);
        }
        if (Files.isDirectory(local)) {
            client.uploadArtifacts(run.artifactUri(), artifactDir, local);
        } else {
            String name = local.getFileName().toString();
            client.uploadArtifact(run.artifactUri(), artifactDir == null || artifactDir.isEmpty() ? name : artifactDir + "/" + name, local);
        }
    }

    @Override
    public String describe() {
        return client.uri().toString();
    }

    /** The log-batch body, written directly (faster than building a tree for 1000 points). */
    static byte[] encode(String runId, Batch b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.estimatedBytes + 256);
        try (JsonGenerator g = Wire.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("run_id", runId);
            g.writeArrayFieldStart("metrics");
            for (Metric m : b.metrics) {
                g.writeStartObject();
                g.writeStringField("key", m.key());
                if (Double.isFinite(m.value())) {
                    g.writeNumberField("value", m.value());
                } else {
                    // protobuf's JSON form of NaN and the infinities
                    g.writeStringField("value", Double.toString(m.value()));
                }
                g.writeNumberField("timestamp", m.timestamp());
                g.writeNumberField("step", m.step());
                g.writeEndObject();
            }
            g.writeEndArray();
            writePairs(g, "params", b.params);
            writePairs(g, "tags", b.tags);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writePairs(JsonGenerator g, String field, Map<String, String> pairs) throws IOException {
        g.writeArrayFieldStart(field);
        for (var e : pairs.entrySet()) {
            g.writeStartObject();
            g.writeStringField("key", e.getKey());
            g.writeStringField("value", e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
