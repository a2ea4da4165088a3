package dev.labbook.train.track;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunData;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunInputs;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs kept in memory, artifacts copied under a folder: for tests, and for training without a
 * store. Thread-safe.
 */
public final class InMemoryTracking implements Tracking {
    private final Path artifactRoot;
    private final Map<String, Recorded> runs = new ConcurrentHashMap<>();

    /** @param artifactRoot the folder artifacts are copied under, one sub-folder per run */
    public InMemoryTracking(Path artifactRoot) {
        this.artifactRoot = artifactRoot;
    }

    /** Everything logged to one run. */
    public static final class Recorded implements Tracker {
        private final String id = UUID.randomUUID().toString().replace("-", "");
        private final String experiment;
        private final String name;
        private final Path artifacts;
        private final long start = System.currentTimeMillis();
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final List<Metric> metrics = new ArrayList<>();
        final List<DatasetInput> inputs = new ArrayList<>();
        volatile RunStatus status = RunStatus.RUNNING;
        volatile Long end;

        Recorded(String experiment, String name, Path artifacts) {
            this.experiment = experiment;
            this.name = name;
            this.artifacts = artifacts;
        }

        @Override
        public String runId() {
            return id;
        }

        @Override
        public synchronized void logParams(Map<String, String> values) {
            values.forEach((k, v) -> {
                String old = params.putIfAbsent(k, v);
                if (old != null && !old.equals(v)) {
                    throw LabbookException.invalid("param %s already logged as %s, cannot change it to %s", k, old, v);
                }
            });
        }

        @Override
        public synchronized void logMetrics(Map<String, Double> values, long step) {
            requireRunning();
            long now = System.currentTimeMillis();
            values.forEach((k, v) -> metrics.add(new Metric(k, v, now, step)));
        }

        @Override
        public void logArtifact(Path local, String artifactPath) {
            requireRunning();
            Path target = artifactPath.isEmpty() ? artifacts : artifacts.resolve(artifactPath);
            copy(local, Files.isDirectory(local) ? target : target.resolve(local.getFileName().toString()));
        }

        @Override
        public synchronized void logDatasetInput(DatasetInput input) {
            inputs.add(input);
        }

        @Override
        public synchronized void setTag(String key, String value) {
            tags.put(key, value);
        }

        @Override
        public void finish(RunStatus s) {
            status = s;
            end = System.currentTimeMillis();
        }

        private void requireRunning() {
            if (status.isTerminal()) {
                throw new LabbookException(dev.labbook.core.ErrorCode.INVALID_STATE, "run " + id + " has ended");
            }
        }

        /** The run's status. */
        public RunStatus status() {
            return status;
        }

        /** Every metric point logged, in order. */
        public synchronized List<Metric> metricHistory() {
            return List.copyOf(metrics);
        }

        /** The folder holding the run's artifacts. */
        public Path artifactDir() {
            return artifacts;
        }

        synchronized Run toRun() {
            Map<String, Metric> latest = new LinkedHashMap<>();
            for (Metric m : metrics) {
                Metric old = latest.get(m.key());
                if (old == null || m.step() >= old.step()) {
                    latest.put(m.key(), m);
                }
            }
            RunInfo info = new RunInfo(id, id, name, experiment, "labbook", status, start, end,
                    artifacts.toUri().toString(), LifecycleStage.ACTIVE);
            RunData data = new RunData(List.copyOf(latest.values()),
                    params.entrySet().stream().map(e -> new Param(e.getKey(), e.getValue())).toList(),
                    tags.entrySet().stream().map(e -> new RunTag(e.getKey(), e.getValue())).toList());
            return new Run(info, data, new RunInputs(inputs));
        }
    }

    @Override
    public Recorded startRun(String experiment, String runName, Map<String, String> tags) {
        Path dir = artifactRoot.resolve("runs").resolve(UUID.randomUUID().toString());
        Recorded r = new Recorded(experiment, runName, dir);
        tags.forEach(r::setTag);
        runs.put(r.runId(), r);
        return r;
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(Recorded::toRun);
    }

    /** The run's recording, for tests to inspect. */
    public Recorded recorded(String runId) {
        Recorded r = runs.get(runId);
        if (r == null) {
            throw LabbookException.notFound("no run %s", runId);
        }
        return r;
    }

    /** All runs started, in no particular order. */
    public List<Recorded> all() {
        return List.copyOf(runs.values());
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path target) {
        Path source = recorded(runId).artifacts.resolve(artifactPath);
        if (!Files.exists(source)) {
            throw LabbookException.notFound("run %s has no artifact %s", runId, artifactPath);
        }
        copy(source, target);
        return target;
    }

    @Override
    public String describe() {
        return "memory (" + artifactRoot + ")";
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** Copies a file or a directory tree. */
    static void copy(Path source, Path target) {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }
}
