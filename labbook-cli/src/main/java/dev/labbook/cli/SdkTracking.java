package dev.labbook.cli;

import dev.labbook.client.ArtifactInfo;
import dev.labbook.client.Labbook;
import dev.labbook.client.RunOptions;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Run;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.serving.Registration;
import dev.labbook.train.track.Tracker;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * Training tracked on a tracking server through the Labbook SDK: each run logs into its on-disk
 * spool and a background sender delivers it (artifacts through the server's artifact proxy),
 * riding out outages; a run's end waits for delivery, and {@link #requireDelivered} says when
 * something is left for {@code labbook sync}. Runs are read back (to reproduce them) over the
 * REST API.
 */
final class SdkTracking implements CliTracking {
    private final String uri;
    private final TrackingClient client;
    private final Path spoolDir;
    private final Duration deliveryTimeout;
    private final List<SdkTracker> runs = new ArrayList<>();

    private SdkTracking(String uri, TrackingClient client, Path spoolDir, Duration deliveryTimeout) {
        this.uri = uri;
        this.client = client;
        this.spoolDir = spoolDir;
        this.deliveryTimeout = deliveryTimeout;
    }

    /** Connects to the server at {@code uri}, failing with one actionable line if it does not answer as one. */
    static SdkTracking connect(String uri, Path spoolDir, Duration deliveryTimeout) {
        TrackingClient client = TrackingClient.of(uri, Duration.ofSeconds(30));
        try {
            client.searchExperiments(null, 1, null);
        } catch (LabbookException e) {
            if (retryable(e)) {
                throw new LabbookException(e.code(), String.format("cannot reach the tracking server at %s (%s); start it "
                        + "(./labbook server --port PORT) or fix --tracking-uri. Nothing was trained or logged", uri, reason(e)), e);
            }
            throw new LabbookException(e.code(), String.format("the tracking server at %s refused a request (%s); is it an "
                    + "MLflow-compatible server, and are MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD right?",
                    uri, oneLine(e.getMessage())), e);
        }
        return new SdkTracking(uri, client, spoolDir, deliveryTimeout);
    }

    /** The failures the SDK retries: the server may come back. */
    private static boolean retryable(LabbookException e) {
        return e.code() == ErrorCode.TEMPORARILY_UNAVAILABLE || e.code() == ErrorCode.INTERNAL_ERROR
                || e.code() == ErrorCode.REQUEST_LIMIT_EXCEEDED;
    }

    /** Why a server could not be reached, in words (a refused connection's exception has no message). */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
                return "connection refused";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        return oneLine(e.getMessage());
    }

    static String oneLine(String s) {
        return s == null ? "no message" : s.strip().replaceAll("\\s+", " ");
    }

    @Override
    public Tracker startRun(String experiment, String runName, Map<String, String> tags) {
        dev.labbook.client.Run run = Labbook.init(new RunOptions().setExperiment(experiment).optRunName(runName)
                .optTags(tags).optTrackingUri(uri).optSpoolDir(spoolDir).optTimeout(deliveryTimeout));
        SdkTracker t = new SdkTracker(run, uri, client);
        synchronized (runs) {
            runs.add(t);
        }
        return t;
    }

    @Override
    public Optional<Run> getRun(String runId) {
        try {
            return Optional.of(client.getRun(runId));
        } catch (LabbookException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void tagExperimentIfUntagged(String experiment, Map<String, String> tags) {
        client.findExperimentByName(experiment).ifPresent(e -> {
            if (e.tags().stream().noneMatch(t -> tags.containsKey(t.key()))) {
                tags.forEach((k, v) -> client.setExperimentTag(e.experimentId(), k, v));
            }
        });
    }

    @Override
    public Set<String> runNames(String experiment, String prefix) {
        Set<String> names = new HashSet<>();
        client.findExperimentByName(experiment).ifPresent(e -> {
            String filter = "attributes.run_name LIKE '" + prefix.replace("'", "") + "%'";
            String token = null;
            do {
                var page = client.searchRuns(List.of(e.experimentId()), filter, 1000, List.of(), token);
                page.items().forEach(r -> names.add(r.info().runName()));
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty());
        });
        return names;
    }

    @Override
    public String experimentName(String experimentId) {
        return client.getExperiment(experimentId).name();
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path target) {
        Run run = getRun(runId).orElseThrow(() -> LabbookException.notFound("no run %s at %s", runId, uri));
        try {
            if (!download(runId, run.info().artifactUri(), artifactPath, target)) {
                throw LabbookException.notFound("run %s has no artifact %s", runId, artifactPath);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot download " + artifactPath + " of run " + runId, e);
        }
        return target;
    }

    /** Downloads a directory tree or a file; false when there is neither at {@code path}. */
    private boolean download(String runId, String artifactUri, String path, Path target) throws java.io.IOException {
        List<ArtifactInfo> children = client.listArtifacts(runId, path);
        if (children.isEmpty()) {
            try {
                client.downloadArtifact(artifactUri, path, target);
                return true;
            } catch (LabbookException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    return false;
                }
                throw e;
            }
        }
        Files.createDirectories(target);
        for (ArtifactInfo child : children) {
            Path into = target.resolve(child.path().substring(child.path().lastIndexOf('/') + 1));
            if (child.isDir()) {
                download(runId, artifactUri, child.path(), into);
            } else {
                client.downloadArtifact(artifactUri, child.path(), into);
            }
        }
        return true;
    }

    @Override
    public void requireDelivered() {
        List<String> problems = new ArrayList<>();
        synchronized (runs) {
            for (SdkTracker t : runs) {
                t.problem().ifPresent(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more run(s) alike)" : ""));
        }
    }

    @Override
    public ModelVersion registerModel(String runId, String name) {
        String experimentId = client.getRun(runId).info().experimentId();
        String modelId = client.loggedModels().searchLoggedModels(List.of(experimentId), "source_run_id = '" + runId + "'", 1, null)
                .items().stream().findFirst().map(m -> m.info().modelId()).orElse(null);
        return Registration.register(client, runId, "model", name, modelId);
    }

    @Override
    public void setAlias(String name, String alias, String version) {
        client.registry().setRegisteredModelAlias(name, alias, version);
    }

    @Override
    public String describe() {
        return uri;
    }

    /** Hands every run whose delivery is incomplete over to {@code labbook sync}. */
    @Override
    public void close() {
        synchronized (runs) {
            runs.forEach(SdkTracker::release);
        }
    }
}
