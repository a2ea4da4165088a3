package dev.labbook.cli;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Run;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.VersionTags;
import dev.labbook.server.artifact.ArtifactUris;
import dev.labbook.store.LoggedModelQuery;
import dev.labbook.store.NewLoggedModel;
import dev.labbook.store.NewModelVersion;
import dev.labbook.store.artifact.LocalArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcLoggedModelStore;
import dev.labbook.store.jdbc.JdbcModelRegistryStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.train.track.TrainedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Trained models in a local store beyond the run's {@code model/} artifact: the MLflow 3 logged
 * model that stands for each (its own copy of the files, READY, an output of the run, its scores
 * logged with its id) and registered versions of them, as a server would record them.
 */
final class StoreModels implements AutoCloseable {
    private final JdbcTrackingStore tracking;
    private final JdbcLoggedModelStore loggedModels;
    private final JdbcModelRegistryStore registry;
    private final LocalArtifactStore artifacts;

    StoreModels(Database db, JdbcTrackingStore tracking, LocalArtifactStore artifacts) {
        this.tracking = tracking;
        this.loggedModels = new JdbcLoggedModelStore(db);
        this.registry = new JdbcModelRegistryStore(db);
        this.artifacts = artifacts;
    }

    /** Creates the logged model of a run's trained model; returns its id. */
    String logModel(String runId, String experimentId, Path modelDir, TrainedModel model) {
        List<LoggedModelParameter> params = model.params().entrySet().stream()
                .map(e -> new LoggedModelParameter(e.getKey(), e.getValue())).sorted((a, b) -> a.key().compareTo(b.key())).toList();
        LoggedModel created = loggedModels.createLoggedModel(new NewLoggedModel(experimentId, model.name(), model.modelType(),
                runId, params, List.of()));
        String id = created.info().modelId();
        try {
            copyTree(modelDir, ArtifactUris.storePath(created.info().artifactUri()));
        } catch (RuntimeException e) {
            loggedModels.finalizeLoggedModel(id, LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED);
            throw e;
        }
        List<Metric> scores = modelScores(tracking.getRun(runId).orElseThrow().data().metrics(), model, id, runId);
        if (!scores.isEmpty()) {
            tracking.logBatch(runId, scores, List.of(), List.of());
        }
        loggedModels.logOutputs(runId, List.of(new ModelOutput(id, 0)));
        loggedModels.finalizeLoggedModel(id, LoggedModelStatus.LOGGED_MODEL_READY);
        return id;
    }

    /**
     * The run's latest points of the model's scores, linked to logged model {@code modelId}: the
     * same points again (same step, time and value), which the store keeps once, now carrying the
     * model's id, so the run's history gains no point.
     */
    static List<Metric> modelScores(List<Metric> runMetrics, TrainedModel model, String modelId, String runId) {
        List<Metric> out = new ArrayList<>();
        for (Metric m : runMetrics) {
            if (model.metrics().containsKey(m.key())) {
                out.add(m.withDetails(null, null, modelId, runId));
            }
        }
        return out;
    }

    /**
     * Registers the model of {@code runId} as a new version of {@code name} (created if missing):
     * from the run's logged model when it has one, else from {@code runs:/RUN/model}; the run's
     * scores become version tags.
     */
    ModelVersion register(String runId, String name) {
        Run run = tracking.getRun(runId).orElseThrow(() -> LabbookException.notFound("no run %s", runId));
        if (registry.getRegisteredModel(name).isEmpty()) {
            try {
                registry.createRegisteredModel(name, null, List.of());
            } catch (LabbookException e) {
                if (e.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        Optional<LoggedModel> logged = loggedModelOf(run);
        String source = logged.map(m -> "models:/" + m.info().modelId()).orElse("runs:/" + runId + "/model");
        return registry.createModelVersion(new NewModelVersion(name, source, runId, null, null, null,
                VersionTags.fromMetrics(run.data().metrics()), logged.map(m -> m.info().modelId()).orElse(null)));
    }

    /** Points {@code alias} of {@code name} at {@code version}. */
    void setAlias(String name, String alias, String version) {
        registry.setRegisteredModelAlias(name, alias, version);
    }

    /** The logged model the run produced, if any (the newest one). */
    private Optional<LoggedModel> loggedModelOf(Run run) {
        return loggedModels.searchLoggedModels(new LoggedModelQuery(List.of(run.info().experimentId()),
                "source_run_id = '" + run.info().runId() + "'", List.of(), 1, List.of(), null)).items().stream().findFirst();
    }

    private void copyTree(Path dir, String target) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    try (InputStream in = Files.newInputStream(p)) {
                        artifacts.put(target + "/" + dir.relativize(p).toString().replace('\\', '/'), in);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model " + dir + " into the store", e);
        }
    }

    @Override
    public void close() {
        loggedModels.close();
        registry.close();
    }
}
