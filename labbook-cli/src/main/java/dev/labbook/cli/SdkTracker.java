package dev.labbook.cli;

import dev.labbook.client.DeliveryReport;
import dev.labbook.client.LoggedModelClient;
import dev.labbook.client.Run;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.RunStatus;
import dev.labbook.train.track.TrainedModel;
import dev.labbook.train.track.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One training run logged through the SDK. Every call only appends to the run's spool; the end
 * waits for delivery. Artifacts are first linked (or copied) into the spool: the SDK reads them
 * when it uploads them, and the pipeline deletes its scratch files once the run has ended, which
 * would leave nothing for {@code labbook sync} to upload after an outage.
 */
final class SdkTracker implements Tracker {
    private final Run run;
    private final String uri;
    private final TrackingClient client;
    private final Path kept;
    private int keptCount;
    private volatile DeliveryReport report;
    /** The trained model to publish as a logged model once the run is delivered, with its kept files. */
    private Path modelFiles;
    private TrainedModel model;
    private volatile String modelProblem;

    SdkTracker(Run run, String uri, TrackingClient client) {
        this.run = run;
        this.uri = uri;
        this.client = client;
        this.kept = run.spoolDir().resolve("kept-artifacts");
    }

    /** The server's run id; the SDK's client id while the server has not created the run yet. */
    @Override
    public String runId() {
        String id = run.id();
        return id != null ? id : run.clientId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        params.forEach(run::logParam);
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        run.log(metrics, step);
    }

    @Override
    public void logArtifact(Path local, String artifactPath) {
        Path copy = keep(local);
        if (Files.isDirectory(copy)) {
            run.logArtifacts(copy, artifactPath);
        } else {
            run.logArtifact(copy, artifactPath);
        }
    }

    /**
     * The run's model/ artifact goes through the spool like any artifact; the logged model needs
     * the run on the server, so it is created once the run is delivered (see {@link #finish}).
     */
    @Override
    public void logModel(Path modelDir, String artifactPath, TrainedModel trained) {
        Path copy = keep(modelDir);
        run.logArtifacts(copy, artifactPath);
        synchronized (this) {
            modelFiles = copy;
            model = trained;
        }
    }

    @Override
    public void logDatasetInput(DatasetInput input) {
        run.logInput(input);
    }

    @Override
    public void setTag(String key, String value) {
        run.setTag(key, value);
    }

    /** Ends the run and waits (up to the delivery timeout) until the server has everything. */
    @Override
    public void finish(RunStatus status) {
        if (report != null) {
            return; // already ended: a failure after the end does not change the status
        }
        DeliveryReport r = run.finish(status);
        report = r;
        if (r.complete()) {
            publishModel();
            deleteQuietly(kept);
        }
    }

    /**
     * Creates the logged model of the delivered run: its own copy of the files, its scores logged
     * with its id, an output of the run, READY. A failure here leaves the run whole (its model/
     * artifact is delivered) and is reported by {@link #problem}.
     */
    private void publishModel() {
        Path files;
        TrainedModel trained;
        synchronized (this) {
            files = modelFiles;
            trained = model;
        }
        if (files == null || run.id() == null) {
            return;
        }
        try {
            // the delivered run: its experiment, and the points of its scores to link to the model
            dev.labbook.core.model.Run delivered = client.getRun(run.id());
            String experimentId = delivered.info().experimentId();
            List<LoggedModelParameter> params = trained.params().entrySet().stream()
                    .map(e -> new LoggedModelParameter(e.getKey(), e.getValue())).sorted((a, b) -> a.key().compareTo(b.key())).toList();
            LoggedModelClient models = client.loggedModels();
            LoggedModel created = models.createLoggedModel(experimentId, trained.name(), trained.modelType(), run.id(), params, List.of());
            String id = created.info().modelId();
            client.uploadArtifacts(created.info().artifactUri(), "", files);
            List<Metric> scores = StoreModels.modelScores(delivered.data().metrics(), trained, id, run.id());
            if (!scores.isEmpty()) {
                client.logBatch(run.id(), scores, List.of(), List.of());
            }
            models.logOutputs(run.id(), List.of(new ModelOutput(id, 0)));
            models.finalizeLoggedModel(id, LoggedModelStatus.LOGGED_MODEL_READY);
        } catch (RuntimeException e) {
            modelProblem = String.format("run %s was delivered to %s, but its logged model could not be created (%s); "
                    + "the run's model/ artifact is there", run.id(), uri, SdkTracking.oneLine(e.getMessage()));
        }
    }

    /** One line saying what the server is missing and what to do, or empty when it has everything. */
    Optional<String> problem() {
        DeliveryReport r = report;
        if (r == null || (r.complete() && r.droppedRecords() == 0 && r.rejectedEntries() == 0)) {
            return Optional.ofNullable(modelProblem);
        }
        String error = r.lastError() == null ? "" : "; last error: " + SdkTracking.oneLine(r.lastError());
        if (!r.complete()) {
            return Optional.of(String.format("run %s ended %s, but the tracking server at %s does not have all of it yet: "
                    + "%d records wait in the spool %s%s. Run `./labbook sync --spool-dir %s` once the server is reachable",
                    runId(), run.endStatus(), uri, r.pendingRecords(), run.spoolDir(), error, run.spoolDir().getParent()));
        }
        // the report says what was refused (entries by key, and records of requests refused whole)
        return Optional.of(String.format("run %s ended %s, but the tracking server at %s refused part of it, which was not stored: %s",
                runId(), run.endStatus(), uri, SdkTracking.oneLine(r.toString())));
    }

    /** After the command: an incomplete delivery stops here and is left to {@code labbook sync}. */
    void release() {
        DeliveryReport r = report;
        if (r != null && !r.complete()) {
            run.detach();
        }
    }

    /** A link to (or else a copy of) {@code local} inside the spool, which outlives the caller's files. */
    private synchronized Path keep(Path local) {
        Path target = kept.resolve(Integer.toString(++keptCount)).resolve(local.getFileName().toString());
        try (Stream<Path> walk = Files.walk(local)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(local.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    link(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + local + " in the run's spool " + run.spoolDir(), e);
        }
        return target;
    }

    /** A hard link costs nothing; across file systems (or where links are refused) the file is copied. */
    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // copies left in a delivered spool only take space
        }
    }
}
