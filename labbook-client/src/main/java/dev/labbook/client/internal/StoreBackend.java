package dev.labbook.client.internal;

import dev.labbook.client.spool.RunMeta;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.validation.Validation;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.store.artifact.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Delivers straight into a local store (no server): the SQLite database and artifact folder a
 * {@code labbook server} on the same data directory serves, laid out as the server's artifact
 * proxy lays them out ({@code <artifacts>/<experiment>/<run>/artifacts/<path>}).
 */
public final class StoreBackend implements Backend {
    private final String uri;
    private final JdbcTrackingStore store;
    private final LocalArtifactStore artifacts;

    public StoreBackend(String backendStoreUri, Path artifacts) {
        this.uri = backendStoreUri;
        this.store = JdbcTrackingStore.open(backendStoreUri);
        this.artifacts = new LocalArtifactStore(artifacts);
    }

    public JdbcTrackingStore store() {
        return store;
    }

    @Override
    public RunMeta attach(RunMeta meta, String runId) {
        RunInfo info = store.getRun(runId).orElseThrow(() -> LabbookException.notFound("Run with id=%s not found", runId)).info();
        return meta.created(runId, info.experimentId(), info.artifactUri());
    }

    @Override
    public RunMeta createRun(RunMeta meta, boolean mayExist) {
        String experimentId = meta.experimentId() != null ? meta.experimentId() : experiment(meta.experimentName());
        if (mayExist) {
            List<Run> found = store.searchRuns(new RunQuery(List.of(experimentId),
                    "tags.`" + HttpBackend.CLIENT_RUN_ID_TAG + "` = '" + meta.clientRunId() + "'",
                    ViewType.ALL, 1, List.of(), null)).items();
            if (!found.isEmpty()) {
                RunInfo info = found.get(0).info();
                return meta.created(info.runId(), experimentId, info.artifactUri());
            }
        }
        List<RunTag> tags = new ArrayList<>();
        meta.createTags().forEach((k, v) -> tags.add(new RunTag(k, v)));
        tags.add(new RunTag(HttpBackend.CLIENT_RUN_ID_TAG, meta.clientRunId()));
        if (meta.userId() != null) {
            tags.add(new RunTag("mlflow.user", meta.userId()));
        }
        RunInfo info = store.createRun(new NewRun(experimentId, meta.userId(), meta.startTime(), meta.runName(), tags));
        return meta.created(info.runId(), experimentId, info.artifactUri());
    }

    private String experiment(String name) {
        return store.getExperimentByName(name).map(Experiment::experimentId).orElseGet(() -> {
            try {
                return store.createExperiment(name, null, List.of());
            } catch (LabbookException e) {
                if (e.code() == ErrorCode.RESOURCE_ALREADY_EXISTS) {
                    return store.getExperimentByName(name).orElseThrow(() -> e).experimentId();
                }
                throw e;
            }
        });
    }

    @Override
    public void logBatch(String runId, Batch batch) {
        List<Param> params = batch.paramList();
        List<RunTag> tags = batch.tagList();
        // the checks the server makes before its store sees a log-batch, so local mode refuses the same entries
        Validation.validateBatch(batch.metrics, params, tags);
        store.logBatch(runId, batch.metrics, params, tags);
    }

    @Override
    public boolean runGone(String runId) {
        return store.getRun(runId).map(r -> r.info().lifecycleStage() == LifecycleStage.DELETED).orElse(true);
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        store.logInputs(runId, inputs);
    }

    @Override
    public void endRun(String runId, RunStatus status, long endTime) {
        store.updateRun(runId, status, endTime, null);
    }

    @Override
    public void upload(RunMeta run, Path local, String artifactDir) {
        String root = Artifacts.root(run.artifactUri()) + (artifactDir == null || artifactDir.isEmpty() ? "" : "/" + artifactDir);
        try {
            if (Files.isDirectory(local)) {
                try (Stream<Path> s = Files.walk(local)) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        put(root + "/" + local.relativize(f).toString().replace('\\', '/'), f);
                    }
                }
            } else if (Files.exists(local)) {
                put(root + "/" + local.getFileName(), local);
            } else {
                throw LabbookException.invalid("Artifact %s no longer exists; it cannot be stored", local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store artifact " + local, e);
        }
    }

    private void put(String path, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            artifacts.put(path, in);
        }
    }

    @Override
    public String describe() {
        return uri;
    }

    @Override
    public void close() {
        store.close();
    }
}
