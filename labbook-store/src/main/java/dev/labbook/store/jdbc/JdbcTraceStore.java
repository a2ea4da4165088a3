package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Page;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import dev.labbook.store.NewTrace;
import dev.labbook.store.TraceQuery;
import dev.labbook.store.TraceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The trace store on the tracking database. Each public method is one transaction; the SQL lives
 * in {@link TraceDao} and {@link TraceSearch}.
 */
public final class JdbcTraceStore implements TraceStore {
    /** Where under an experiment's artifact location its traces' span data goes, as in MLflow. */
    private static final String TRACES_FOLDER = "traces";

    private final Database db;
    private final TraceSearch search;

    /** A store on {@code db}, which the caller keeps and closes. */
    public JdbcTraceStore(Database db) {
        this.db = db;
        this.search = new TraceSearch(db.dialect());
    }

    @Override
    public TraceInfo startTrace(NewTrace t) {
        String traceId = t.traceId() == null || t.traceId().isEmpty()
                ? "tr-" + UUID.randomUUID().toString().replace("-", "")
                : t.traceId();
        TraceState state = t.state() == null ? TraceState.STATE_UNSPECIFIED : t.state();
        return db.write(h -> {
            Experiment e = ExperimentDao.require(h, t.experimentId());
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid(
                        "The experiment %s must be in the 'active' state. Current state is deleted.", e.experimentId());
            }
            if (TraceDao.exists(h, traceId)) {
                TraceDao.update(h, traceId, t.requestTime(), t.executionDuration(), state,
                        t.clientRequestId(), t.requestPreview(), t.responsePreview());
            } else {
                TraceDao.insert(h, traceId, Long.parseLong(e.experimentId()), t.requestTime(), t.executionDuration(),
                        state, t.clientRequestId(), t.requestPreview(), t.responsePreview());
            }
            Map<String, String> tags = new HashMap<>(t.tags());
            // the server decides where span data goes, whatever the client sent
            tags.put(TraceInfo.ARTIFACT_LOCATION_TAG, artifactLocation(e, traceId));
            TraceDao.put(h, TraceDao.Pairs.METADATA, traceId, t.metadata());
            TraceDao.put(h, TraceDao.Pairs.TAGS, traceId, tags);
            return TraceDao.get(h, traceId).orElseThrow();
        });
    }

    /** {@code <experiment artifact location>/traces/<trace id>/artifacts}, as MLflow lays it out. */
    private static String artifactLocation(Experiment e, String traceId) {
        String base = e.artifactLocation() == null || e.artifactLocation().isEmpty()
                ? "mlflow-artifacts:/" + e.experimentId()
                : e.artifactLocation();
        return base + (base.endsWith("/") ? "" : "/") + TRACES_FOLDER + "/" + traceId + "/artifacts";
    }

    @Override
    public TraceInfo endTrace(String traceId, long endTime, TraceState state, Map<String, String> metadata,
            Map<String, String> tags) {
        return db.write(h -> {
            TraceInfo info = require(h, traceId);
            TraceDao.end(h, traceId, endTime - info.requestTime(), state == null ? info.state() : state);
            TraceDao.put(h, TraceDao.Pairs.METADATA, traceId, metadata);
            TraceDao.put(h, TraceDao.Pairs.TAGS, traceId, tags);
            return TraceDao.get(h, traceId).orElseThrow();
        });
    }

    @Override
    public Optional<TraceInfo> getTraceInfo(String traceId) {
        return db.read(h -> TraceDao.get(h, traceId));
    }

    @Override
    public List<TraceInfo> getTraceInfos(List<String> traceIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(traceIds));
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.snapshot(h -> {
            Map<String, TraceInfo> found = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                TraceDao.list(h, "SELECT " + TraceDao.COLUMNS + " FROM trace_info t WHERE t.trace_id IN ("
                        + "?,".repeat(chunk.size() - 1) + "?)", chunk.toArray())
                        .forEach(t -> found.put(t.traceId(), t));
            }
            return ids.stream().filter(found::containsKey).map(found::get).toList();
        });
    }

    @Override
    public Page<TraceInfo> searchTraces(TraceQuery query) {
        return db.snapshot(h -> search.search(h, query));
    }

    @Override
    public int deleteTraces(String experimentId, Long maxTimestampMillis, Integer maxTraces, List<String> traceIds) {
        return db.write(h -> {
            long experiment = Long.parseLong(ExperimentDao.require(h, experimentId).experimentId());
            List<Object> args = new ArrayList<>(List.of(experiment));
            StringBuilder where = new StringBuilder("t.experiment_id = ?");
            if (maxTimestampMillis != null) {
                where.append(" AND t.request_time <= ?");
                args.add(maxTimestampMillis);
            }
            if (traceIds != null && !traceIds.isEmpty()) {
                where.append(" AND t.trace_id IN (").append("?,".repeat(traceIds.size() - 1)).append("?)");
                args.addAll(traceIds);
            }
            if (maxTraces != null) {
                // the oldest first, as MLflow deletes them
                where.append(" ORDER BY t.request_time ASC, t.trace_id ASC LIMIT ?");
                args.add(maxTraces);
            }
            return TraceDao.delete(h, TraceDao.ids(h, where.toString(), args.toArray()));
        });
    }

    @Override
    public void setTraceTag(String traceId, String key, String value) {
        db.write(h -> {
            require(h, traceId);
            TraceDao.put(h, TraceDao.Pairs.TAGS, traceId, Map.of(key, value == null ? "" : value));
            return null;
        });
    }

    @Override
    public void deleteTraceTag(String traceId, String key) {
        db.write(h -> {
            require(h, traceId);
            if (!TraceDao.remove(h, TraceDao.Pairs.TAGS, traceId, key)) {
                throw LabbookException.notFound("No trace tag with key '%s' for trace with ID '%s'", key, traceId);
            }
            return null;
        });
    }

    @Override
    public void linkTracesToRun(List<String> traceIds, String runId) {
        db.write(h -> {
            RunDao.require(h, runId);
            for (String traceId : traceIds) {
                require(h, traceId);
                TraceDao.link(h, traceId, runId);
            }
            return null;
        });
    }

    private static TraceInfo require(Handle h, String traceId) {
        return TraceDao.get(h, traceId)
                .orElseThrow(() -> LabbookException.notFound("Trace with ID '%s' not found.", traceId));
    }
}
