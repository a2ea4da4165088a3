package dev.labbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labbook.client.internal.Artifacts;
import dev.labbook.client.internal.Http;
import dev.labbook.client.internal.Wire;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.MetricWithRunId;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunData;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunInputs;
import dev.labbook.core.model.RunOutputs;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thin, synchronous client of the MLflow REST API 2.0 (Labbook's server or MLflow's), for tools
 * and tests: one method per endpoint, core records in and out. Every failure is a
 * {@link LabbookException} carrying the server's error code; transport failures carry
 * {@link ErrorCode#TEMPORARILY_UNAVAILABLE}. Thread-safe and cheap to share.
 */
public final class TrackingClient {
    private final Http http;
    private final Artifacts artifacts;
    private final ModelRegistryClient registry;
    private final LoggedModelClient loggedModels;

    private TrackingClient(URI uri, Duration timeout) {
        this.http = new Http(uri, timeout);
        this.artifacts = new Artifacts(http);
        this.registry = new ModelRegistryClient(http);
        this.loggedModels = new LoggedModelClient(http);
    }

    /** A client of the server at {@code uri}, e.g. {@code http://127.0.0.1:5000}. */
    public static TrackingClient of(String uri) {
        return of(uri, Duration.ofSeconds(60));
    }

    /** A client whose API calls time out after {@code timeout} (artifact transfers never do). */
    public static TrackingClient of(String uri, Duration timeout) {
        if (!uri.startsWith("http://") && !uri.startsWith("https://")) {
            throw LabbookException.invalid("Not an http(s) tracking URI: %s", uri);
        }
        return new TrackingClient(URI.create(uri), timeout);
    }

    /** The server's base URI. */
    public URI uri() {
        return http.base();
    }

    // --- experiments

    public String createExperiment(String name) {
        return http.post("experiments/create", Map.of("name", name)).path("experiment_id").asText();
    }

    public Experiment getExperiment(String experimentId) {
        return read(http.get("experiments/get", Map.of("experiment_id", experimentId)).get("experiment"), Experiment.class);
    }

    public Optional<Experiment> findExperimentByName(String name) {
        try {
            return Optional.of(read(http.get("experiments/get-by-name", Map.of("experiment_name", name))
                    .get("experiment"), Experiment.class));
        } catch (LabbookException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Sets the tag {@code key} of experiment {@code experimentId}. */
    public void setExperimentTag(String experimentId, String key, String value) {
        http.post("experiments/set-experiment-tag", Map.of("experiment_id", experimentId, "key", key, "value", value));
    }

    /** The id of the experiment called {@code name}, created if missing (safe against a concurrent create). */
    public String getOrCreateExperiment(String name) {
        Optional<Experiment> e = findExperimentByName(name);
        if (e.isPresent()) {
            return e.get().experimentId();
        }
        try {
            return createExperiment(name);
        } catch (LabbookException ex) {
            if (ex.code() == ErrorCode.RESOURCE_ALREADY_EXISTS) {
                return findExperimentByName(name).orElseThrow(() -> ex).experimentId();
            }
            throw ex;
        }
    }

    public Page<Experiment> searchExperiments(String filter, int maxResults, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filter", filter);
        body.put("max_results", maxResults);
        body.put("page_token", pageToken);
        return page(http.post("experiments/search", body), "experiments", Experiment.class);
    }

    // --- runs

    /** Creates a run; {@code runName} may be null. */
    public Run createRun(String experimentId, String runName, long startTime, List<RunTag> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        body.put("run_name", runName);
        body.put("start_time", startTime);
        body.put("tags", tags);
        return run(http.post("runs/create", body).get("run"));
    }

    public Run getRun(String runId) {
        return run(http.get("runs/get", Map.of("run_id", runId)).get("run"));
    }

    /** Sets status and end time; null leaves a field unchanged. */
    public RunInfo updateRun(String runId, RunStatus status, Long endTime) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("run_uuid", runId);
        body.put("status", status == null ? null : status.name());
        body.put("end_time", endTime);
        return read(http.post("runs/update", body).get("run_info"), RunInfo.class);
    }

    public Page<Run> searchRuns(List<String> experimentIds, String filter, int maxResults, List<String> orderBy, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_ids", experimentIds);
        body.put("filter", filter);
        body.put("max_results", maxResults);
        body.put("order_by", orderBy);
        body.put("page_token", pageToken);
        JsonNode n = http.post("runs/search", body);
        List<Run> items = new ArrayList<>();
        n.path("runs").forEach(r -> items.add(run(r)));
        return new Page<>(items, token(n));
    }

    /** Logs up to MLflow's batch limits (1000 metrics, 100 params, 100 tags, 1 MB) at once. */
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        List<Map<String, Object>> ms = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("key", m.key());
            o.put("value", Double.isFinite(m.value()) ? (Object) m.value() : Double.toString(m.value()));
            o.put("timestamp", m.timestamp());
            o.put("step", m.step());
            // MLflow 3's fields, only where the point has them (2.x servers never see them)
            putIfSet(o, "dataset_name", m.datasetName());
            putIfSet(o, "dataset_digest", m.datasetDigest());
            putIfSet(o, "model_id", m.modelId());
            putIfSet(o, "run_id", m.runId());
            ms.add(o);
        }
        body.put("metrics", ms);
        body.put("params", params);
        body.put("tags", tags);
        http.post("runs/log-batch", body);
    }

    private static void putIfSet(Map<String, Object> o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    /** Posts a log-batch body that is already JSON (the SDK's sender encodes its own). */
    public void logBatchJson(byte[] body) {
        http.post("runs/log-batch", body);
    }

    /**
     * Records datasets the run used (MLflow log-inputs). A dataset is identified by its name and
     * digest within the experiment, so logging the same one again adds nothing.
     */
    public void logInputs(String runId, List<DatasetInput> inputs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("datasets", inputs);
        http.post("runs/log-inputs", body);
    }

    public void setTag(String runId, String key, String value) {
        http.post("runs/set-tag", Map.of("run_id", runId, "key", key, "value", value));
    }

    public void logParam(String runId, String key, String value) {
        http.post("runs/log-parameter", Map.of("run_id", runId, "key", key, "value", value));
    }

    // --- metric histories

    /** The whole history of a metric, reading every page. */
    public List<Metric> getMetricHistory(String runId, String key) {
        List<Metric> out = new ArrayList<>();
        String token = null;
        do {
            Page<Metric> p = getMetricHistoryPage(runId, key, 25_000, token);
            out.addAll(p.items());
            token = p.nextPageToken();
        } while (token != null);
        return out;
    }

    public Page<Metric> getMetricHistoryPage(String runId, String key, int maxResults, String pageToken) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("run_id", runId);
        q.put("metric_key", key);
        q.put("max_results", maxResults);
        q.put("page_token", pageToken);
        return page(http.get("metrics/get-history", q), "metrics", Metric.class);
    }

    /** A chart's worth of points (at most {@code maxResults} per run) of one metric over several runs. */
    public List<MetricWithRunId> getMetricHistoryBulkInterval(List<String> runIds, String key, int maxResults) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("run_ids", runIds);
        q.put("metric_key", key);
        q.put("max_results", maxResults);
        List<MetricWithRunId> out = new ArrayList<>();
        http.get("metrics/get-history-bulk-interval", q).path("metrics")
                .forEach(m -> out.add(read(m, MetricWithRunId.class)));
        return out;
    }

    // --- artifacts (through the server's artifact proxy, streamed)

    /** Uploads a file to {@code artifactPath} (a relative file path) of the run with {@code artifactUri}. */
    public void uploadArtifact(String artifactUri, String artifactPath, Path file) {
        artifacts.upload(artifactUri, artifactPath, file);
    }

    /** Uploads every file under {@code dir} below {@code artifactDir} (may be empty). */
    public void uploadArtifacts(String artifactUri, String artifactDir, Path dir) {
        artifacts.uploadTree(artifactUri, artifactDir, dir);
    }

    /** Downloads one artifact file to {@code dest}, streaming. */
    public void downloadArtifact(String artifactUri, String artifactPath, Path dest) {
        artifacts.download(artifactUri, artifactPath, dest);
    }

    /** The entries directly under {@code path} ("" for the root) of a run's artifacts. */
    public List<ArtifactInfo> listArtifacts(String runId, String path) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("run_id", runId);
        q.put("path", path == null || path.isEmpty() ? null : path);
        List<ArtifactInfo> out = new ArrayList<>();
        http.get("artifacts/list", q).path("files").forEach(f -> out.add(new ArtifactInfo(
                f.path("path").asText(), f.path("is_dir").asBoolean(false),
                f.hasNonNull("file_size") ? f.get("file_size").asLong() : null)));
        return out;
    }

    // --- model registry and anything else

    /** The model registry endpoints of the same server. */
    public ModelRegistryClient registry() {
        return registry;
    }

    /** MLflow 3's logged models of this server. */
    public LoggedModelClient loggedModels() {
        return loggedModels;
    }

    /** Any other endpoint: POSTs {@code body} to {@code api/2.0/mlflow/<endpoint>}. */
    public JsonNode post(String endpoint, Object body) {
        return http.post(endpoint, body);
    }

    /** Any other endpoint: GETs {@code api/2.0/mlflow/<endpoint>} with query parameters. */
    public JsonNode get(String endpoint, Map<String, ?> query) {
        return http.get(endpoint, query);
    }

    // ---

    /** One page of a search answer: the records of array {@code field}, and the next page's token. */
    static <T> Page<T> page(JsonNode n, String field, Class<T> type) {
        List<T> items = new ArrayList<>();
        n.path(field).forEach(e -> items.add(read(e, type)));
        return new Page<>(items, token(n));
    }

    static String token(JsonNode n) {
        String t = n.path("next_page_token").asText(null);
        return t == null || t.isEmpty() ? null : t;
    }

    private static Run run(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new LabbookException(ErrorCode.INTERNAL_ERROR, "The server answered without a run");
        }
        RunInfo info = read(n.get("info"), RunInfo.class);
        JsonNode d = n.get("data");
        RunData data = d == null || d.isNull() ? new RunData(List.of(), List.of(), List.of()) : read(d, RunData.class);
        JsonNode i = n.get("inputs");
        RunInputs inputs = i == null || i.isNull() ? RunInputs.empty() : read(i, RunInputs.class);
        JsonNode o = n.get("outputs");
        RunOutputs outputs = o == null || o.isNull() ? null : read(o, RunOutputs.class);
        return new Run(info, data, inputs, outputs);
    }

    static <T> T read(JsonNode n, Class<T> type) {
        if (n == null) {
            throw new LabbookException(ErrorCode.INTERNAL_ERROR, "The server's answer lacks a " + type.getSimpleName());
        }
        try {
            if (n instanceof ObjectNode o && type == RunInfo.class && !o.hasNonNull("run_id") && o.hasNonNull("run_uuid")) {
                o.set("run_id", o.get("run_uuid"));
            }
            return Wire.JSON.treeToValue(n, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LabbookException(ErrorCode.INTERNAL_ERROR, "Unexpected " + type.getSimpleName() + " from the server: " + e.getOriginalMessage(), e);
        }
    }
}
