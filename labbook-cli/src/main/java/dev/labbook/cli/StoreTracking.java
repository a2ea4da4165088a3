package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.store.NewRun;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.store.RunQuery;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.train.track.TrainedModel;
import dev.labbook.train.track.Tracker;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.FileInfo;
import dev.labbook.store.artifact.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.stream.Stream;

/**
 * Training tracked straight into the embedded store (the SQLite database and artifact folder the
 * server serves), with no server running. A stand-in until the SDK's local mode replaces it;
 * {@link SdkTracking} tracks on a server.
 */
final class StoreTracking implements CliTracking {
    private static final String PROXY_SCHEME = "mlflow-artifacts:/";
    /** MLflow's log-batch limits. */
    private static final int MAX_METRICS = 1000;
    private static final int MAX_PARAMS = 100;

    private final Database database;
    private final JdbcTrackingStore store;
    private final StoreModels models;
    private final String uri;
    private final LocalArtifactStore artifacts;

    StoreTracking(String backendStoreUri, Path artifactRoot) {
        this.database = Database.open(backendStoreUri);
        this.store = new JdbcTrackingStore(database);
        this.uri = backendStoreUri;
        this.artifacts = new LocalArtifactStore(artifactRoot);
        this.models = new StoreModels(database, store, artifacts);
    }

    /** The embedded store under {@code dataDir}, laid out as {@code labbook server} expects. */
    static StoreTracking embedded(Path dataDir) {
        dev.labbook.server.ServerConfig c = dev.labbook.server.ServerConfig.embedded("127.0.0.1", 0, dataDir);
        return new StoreTracking(c.backendStoreUri(), Path.of(c.artifactsDestination()));
    }

    /**
     * Opens a tracking URI: a folder (the embedded store's data folder) or {@code sqlite:///ABS.db}
     * (artifacts beside it).
     */
    static StoreTracking open(String trackingUri) {
        if (trackingUri.startsWith("http://") || trackingUri.startsWith("https://")) {
            throw LabbookException.invalid("%s is a tracking server; this command needs a local store (a data folder such as "
                    + "./labbook-data, or sqlite:///ABS/PATH.db). To log to a server use labbook train sentiment --tracking-uri %s",
                    trackingUri, trackingUri);
        }
        if (trackingUri.startsWith("sqlite:")) {
            String path = trackingUri.replaceFirst("^sqlite:/*", "/");
            return new StoreTracking(trackingUri, Path.of(path).toAbsolutePath().getParent().resolve("artifacts"));
        }
        return embedded(Path.of(trackingUri.replaceFirst("^file:(//)?", "")));
    }

    /** The backend store URI, for a server over the same store. */
    String backendStoreUri() {
        return uri;
    }

    /** The artifact folder, for a server over the same store. */
    Path artifactRoot() {
        return artifacts.root();
    }

    /** The underlying store, for commands that read runs. */
    JdbcTrackingStore store() {
        return store;
    }

    @Override
    public Tracker startRun(String experiment, String runName, Map<String, String> tags) {
        String existing = System.getenv("MLFLOW_RUN_ID");
        if (existing != null && !existing.isBlank()) {
            // a sweep trial (or any caller naming a run, as for MLflow's start_run): log into that run
            RunInfo info = store.getRun(existing.strip())
                    .orElseThrow(() -> LabbookException.notFound("MLFLOW_RUN_ID names run %s, which %s does not have", existing, uri))
                    .info();
            tags.forEach((k, v) -> store.setTag(info.runId(), new RunTag(k, v)));
            return new StoreTracker(info);
        }
        String experimentId = store.getExperimentByName(experiment)
                .map(e -> e.experimentId())
                .orElseGet(() -> store.createExperiment(experiment, null, List.of()));
        List<RunTag> runTags = tags.entrySet().stream().map(e -> new RunTag(e.getKey(), e.getValue())).toList();
        RunInfo info = store.createRun(new NewRun(experimentId, System.getProperty("user.name", "labbook"),
                System.currentTimeMillis(), runName, runTags));
        return new StoreTracker(info);
    }

    @Override
    public void tagExperimentIfUntagged(String experiment, Map<String, String> tags) {
        store.getExperimentByName(experiment).ifPresent(e -> {
            if (e.tags().stream().noneMatch(t -> tags.containsKey(t.key()))) {
                tags.forEach((k, v) -> store.setExperimentTag(e.experimentId(), new ExperimentTag(k, v)));
            }
        });
    }

    @Override
    public Set<String> runNames(String experiment, String prefix) {
        Set<String> names = new HashSet<>();
        store.getExperimentByName(experiment).ifPresent(e -> {
            String filter = "attributes.run_name LIKE '" + prefix.replace("'", "") + "%'";
            String token = null;
            do {
                var page = store.searchRuns(new RunQuery(List.of(e.experimentId()), filter, ViewType.ALL, 1000, List.of(), token));
                page.items().forEach(r -> names.add(r.info().runName()));
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty());
        });
        return names;
    }

    @Override
    public String experimentName(String experimentId) {
        return store.getExperiment(experimentId).map(e -> e.name()).orElse("imdb-sentiment");
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return store.getRun(runId);
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path target) {
        Run run = getRun(runId).orElseThrow(() -> LabbookException.notFound("no run %s in %s", runId, uri));
        String source = join(artifactDir(run.info()), artifactPath);
        try {
            if (!download(source, target)) {
                throw LabbookException.notFound("run %s has no artifact %s", runId, artifactPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + artifactPath + " of run " + runId, e);
        }
        return target;
    }

    /** Copies the file or directory tree at {@code path} to {@code target}; false if there is nothing. */
    private boolean download(String path, Path target) throws IOException {
        Optional<ArtifactFile> file = artifacts.open(path);
        if (file.isPresent()) {
            try (ArtifactFile f = file.get()) {
                Files.createDirectories(target.toAbsolutePath().getParent());
                Files.copy(f.content(), target, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        }
        List<FileInfo> children = artifacts.list(path);
        if (children.isEmpty()) {
            return false;
        }
        Files.createDirectories(target);
        for (FileInfo child : children) {
            download(child.path(), target.resolve(child.path().substring(child.path().lastIndexOf('/') + 1)));
        }
        return true;
    }

    private static String join(String base, String path) {
        return path == null || path.isEmpty() ? base : base + "/" + path;
    }

    @Override
    public String describe() {
        return uri;
    }

    @Override
    public ModelVersion registerModel(String runId, String name) {
        return models.register(runId, name);
    }

    @Override
    public void setAlias(String name, String alias, String version) {
        models.setAlias(name, alias, version);
    }

    @Override
    public void close() {
        models.close();
        store.close();
        database.close();
    }

    /** The run's artifact folder as a path in the artifact store, e.g. {@code 1/RUN/artifacts}. */
    private static String artifactDir(RunInfo info) {
        String a = info.artifactUri();
        if (a == null || !a.startsWith(PROXY_SCHEME)) {
            throw LabbookException.invalid("run %s keeps artifacts at %s, which this store cannot write", info.runId(), a);
        }
        return a.substring(PROXY_SCHEME.length()).replaceFirst("^/+", "");
    }

    private final class StoreTracker implements Tracker {
        private final RunInfo info;

        StoreTracker(RunInfo info) {
            this.info = info;
        }

        @Override
        public String runId() {
            return info.runId();
        }

        @Override
        public void logParams(Map<String, String> params) {
            List<Param> all = params.entrySet().stream().map(e -> new Param(e.getKey(), e.getValue())).toList();
            for (int i = 0; i < all.size(); i += MAX_PARAMS) {
                store.logBatch(info.runId(), List.of(), all.subList(i, Math.min(all.size(), i + MAX_PARAMS)), List.of());
            }
        }

        @Override
        public void logMetrics(Map<String, Double> metrics, long step) {
            long now = System.currentTimeMillis();
            List<Metric> all = new ArrayList<>();
            metrics.forEach((k, v) -> all.add(new Metric(k, v, now, step)));
            for (int i = 0; i < all.size(); i += MAX_METRICS) {
                store.logBatch(info.runId(), all.subList(i, Math.min(all.size(), i + MAX_METRICS)), List.of(), List.of());
            }
        }

        @Override
        public void logArtifact(Path local, String artifactPath) {
            String target = join(artifactDir(info), artifactPath);
            try (Stream<Path> walk = Files.walk(local)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(p)) {
                        String rel = Files.isDirectory(local) ? local.relativize(p).toString().replace('\\', '/')
                                : p.getFileName().toString();
                        try (InputStream in = Files.newInputStream(p)) {
                            artifacts.put(target + "/" + rel, in);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot upload " + local, e);
            }
        }

        /** The run's model/ artifact, and the logged model that stands for it. */
        @Override
        public void logModel(Path modelDir, String artifactPath, TrainedModel model) {
            logArtifact(modelDir, artifactPath);
            models.logModel(info.runId(), info.experimentId(), modelDir, model);
        }

        @Override
        public void logDatasetInput(DatasetInput input) {
            store.logInputs(info.runId(), List.of(input));
        }

        @Override
        public void setTag(String key, String value) {
            store.setTag(info.runId(), new RunTag(key, value));
        }

        @Override
        public void finish(RunStatus status) {
            store.updateRun(info.runId(), status, System.currentTimeMillis(), null);
        }
    }
}
