package dev.labbook.server.tracking;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.validation.Limits;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import dev.labbook.store.TrackingStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runs/*}: the run lifecycle, logging and search. */
public final class RunRoutes implements RouteGroup {
    private final TrackingStore store;
    private final IngestionListener ingestion;

    public RunRoutes(TrackingStore store) {
        this(store, IngestionListener.NONE);
    }

    /** Routes that tell {@code ingestion} what each logging request stored. */
    public RunRoutes(TrackingStore store, IngestionListener ingestion) {
        this.store = store;
        this.ingestion = ingestion;
    }

    @Override
    public void register(Api api) {
        api.post("runs/create", this::create)
                .get("runs/get", req -> Map.of("run", store.getRun(runId(req))
                        .orElseThrow(() -> LabbookException.notFound("Run with id=%s not found", runId(req)))))
                .post("runs/update", this::update)
                .post("runs/delete", req -> {
                    store.deleteRun(runId(req));
                    return empty();
                })
                .post("runs/restore", req -> {
                    store.restoreRun(runId(req));
                    return empty();
                })
                .post("runs/search", this::search)
                .post("runs/log-metric", this::logMetric)
                // fields are read in the order of MLflow's schemas (run_id, key, value), so that a
                // request with several bad fields is refused for the same one MLflow names
                .post("runs/log-parameter", req -> {
                    String runId = runId(req);
                    Param p = new Param(req.requiredString("key"), requiredValue(req));
                    Validation.validateParam(p);
                    store.logParam(runId, p);
                    ingestion.accepted(0, 1, 0);
                    return empty();
                })
                .post("runs/set-tag", req -> {
                    String runId = runId(req);
                    RunTag t = new RunTag(req.requiredString("key"), requiredValue(req));
                    Validation.validateRunTag(t);
                    store.setTag(runId, t);
                    ingestion.accepted(0, 0, 1);
                    return empty();
                })
                .post("runs/delete-tag", req -> {
                    store.deleteTag(runId(req), req.requiredString("key"));
                    return empty();
                })
                .post("runs/log-batch", this::logBatch)
                .post("runs/log-inputs", this::logInputs);
    }

    /** Runs are named by run_id; older clients send run_uuid. */
    static String runId(ApiRequest req) {
        return req.requiredString("run_id", "run_uuid");
    }

    /** A value field that must be present, though it may be empty. */
    private static String requiredValue(ApiRequest req) {
        String v = req.string("value");
        if (v == null) {
            throw LabbookException.invalid("Missing value for required parameter 'value'.");
        }
        return v;
    }

    private Object create(ApiRequest req) {
        // MLflow's schema order: experiment_id, start_time, run_name
        String experimentId = req.string("experiment_id");
        Long startTime = req.optLong("start_time");
        String runName = req.string("run_name");
        String userId = req.string("user_id");
        List<RunTag> tags = req.objects("tags", Messages::runTag);
        for (RunTag t : tags) {
            Validation.validateRunTag(t);
        }
        var info = store.createRun(new NewRun(
                experimentId == null || experimentId.isEmpty() ? "0" : experimentId,
                userId, startTime == null ? System.currentTimeMillis() : startTime, runName, tags));
        return Map.of("run", store.getRun(info.runId()).orElseThrow());
    }

    private Object update(ApiRequest req) {
        // MLflow's schema order: run_id, end_time, status, run_name
        String runId = runId(req);
        Long endTime = req.optLong("end_time");
        RunStatus status = req.enumOr("status", RunStatus.class, null);
        var info = store.updateRun(runId, status, endTime, req.string("run_name"));
        return Map.of("run_info", info);
    }

    private Object search(ApiRequest req) {
        int max = req.intOr("max_results", 1000);
        Validation.validateMaxResults(max, Limits.MAX_RESULTS_SEARCH_RUNS);
        var page = store.searchRuns(new RunQuery(req.strings("experiment_ids"), req.string("filter"),
                req.enumOr("run_view_type", ViewType.class, ViewType.ACTIVE_ONLY), max,
                req.strings("order_by"), req.string("page_token")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /** MLflow's schema requires run_id, key, value and timestamp; step defaults to 0. */
    private Object logMetric(ApiRequest req) {
        String runId = runId(req);
        Metric m = new Metric(req.requiredString("key"), req.requiredDouble("value"), req.requiredLong("timestamp"),
                req.optLong("step") == null ? 0 : req.optLong("step"));
        if (req.has("model_id") || req.has("dataset_name") || req.has("dataset_digest")) {
            // MLflow 3: the point belongs to a logged model and/or a dataset (and so names its run)
            m = m.withDetails(req.string("dataset_name"), req.string("dataset_digest"), req.string("model_id"), runId(req));
        }
        Validation.validateMetric(m);
        store.logMetric(runId, m);
        ingestion.accepted(1, 0, 0);
        return empty();
    }

    private Object logBatch(ApiRequest req) {
        LoggedBatch b = readLogBatch(req);
        store.logBatch(b.runId(), b.metrics(), b.params(), b.tags());
        ingestion.accepted(b.metrics().size(), b.params().size(), b.tags().size());
        return empty();
    }

    /** A checked log-batch request. */
    record LoggedBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {}

    /**
     * Reads and checks a log-batch request with a streaming parser (see {@link LogBatchReader}):
     * malformed JSON, then the size limit, then the items in field order, then MLflow's batch
     * rules, then the run id.
     */
    static LoggedBatch readLogBatch(ApiRequest req) {
        byte[] bytes = req.bodyBytes();
        LogBatchReader.Body body = LogBatchReader.read(bytes);
        int size = bytes.length;
        if (size > Limits.MAX_REQUEST_BYTES) {
            throw LabbookException.invalid("Batched logging API requests must be at most %d bytes, got %d bytes",
                    Limits.MAX_REQUEST_BYTES, size);
        }
        body.throwFirstError();
        Validation.validateBatch(body.metrics, body.params, body.tags);
        return new LoggedBatch(body.requiredRunId(), body.metrics, body.params, body.tags);
    }

    /**
     * MLflow 2.x requires {@code datasets} ("Missing value for required parameter 'datasets'");
     * 3.x also takes {@code models} alone, so a request with neither is refused.
     */
    private Object logInputs(ApiRequest req) {
        String runId = runId(req);
        if (!req.has("datasets") && !req.has("models")) {
            throw ApiRequest.missing("datasets");
        }
        List<DatasetInput> inputs = req.objects("datasets", Messages::datasetInput);
        store.logInputs(runId, inputs, req.objects("models", Messages::modelInput));
        return empty();
    }
}
