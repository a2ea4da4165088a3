package dev.labbook.store;

import dev.labbook.core.model.Page;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where trace metadata lives: the trace rows of the tracking database. Span data is not the
 * store's: clients upload it to the artifact location the store records in each trace's
 * {@link TraceInfo#ARTIFACT_LOCATION_TAG} tag ({@code <experiment artifact location>/traces/<id>/artifacts}).
 *
 * <p>Errors are {@link dev.labbook.core.LabbookException}s: RESOURCE_DOES_NOT_EXIST for an unknown
 * trace or experiment, INVALID_PARAMETER_VALUE for a malformed request.
 */
public interface TraceStore {

    /**
     * Records a trace and sets its artifact location tag. A trace whose id is already stored is
     * updated instead (its attributes replaced, metadata and tags merged), since a client may log
     * the same trace again.
     *
     * @return the stored trace
     */
    TraceInfo startTrace(NewTrace trace);

    /**
     * Ends a trace started without a duration: its duration becomes {@code endTime} minus its
     * request time; metadata and tags are merged in.
     *
     * @return the updated trace
     */
    TraceInfo endTrace(String traceId, long endTime, TraceState state, Map<String, String> metadata,
            Map<String, String> tags);

    /** The trace, if stored. */
    Optional<TraceInfo> getTraceInfo(String traceId);

    /** The stored ones among {@code traceIds}, in the order asked; unknown ids are left out. */
    List<TraceInfo> getTraceInfos(List<String> traceIds);

    /** The traces of the query's experiments matching its filter; newest first by default. */
    Page<TraceInfo> searchTraces(TraceQuery query);

    /**
     * Deletes traces of one experiment: those with the given ids, or those that started at or
     * before {@code maxTimestampMillis} (the oldest {@code maxTraces} of them when it is given).
     *
     * @return how many traces were deleted
     */
    int deleteTraces(String experimentId, Long maxTimestampMillis, Integer maxTraces, List<String> traceIds);

    /** Sets (or replaces) a tag. */
    void setTraceTag(String traceId, String key, String value);

    /** Deletes a tag; RESOURCE_DOES_NOT_EXIST when the trace has no such tag. */
    void deleteTraceTag(String traceId, String key);

    /** Links traces to a run, so that searching by {@code run_id} finds them. */
    void linkTracesToRun(List<String> traceIds, String runId);
}
