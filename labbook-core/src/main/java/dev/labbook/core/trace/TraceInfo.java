package dev.labbook.core.trace;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata of one trace (MLflow's TraceInfoV3); its spans live in the artifact store, in
 * {@code traces.json} under the location the {@link #ARTIFACT_LOCATION_TAG} tag names.
 *
 * @param traceId the trace's id, {@code tr-} followed by 32 hex digits for MLflow's clients
 * @param experimentId the experiment holding the trace
 * @param requestTime when the traced request started, milliseconds since the epoch
 * @param executionDuration how long it ran in milliseconds; null while unknown (in progress)
 * @param state the execution state
 * @param clientRequestId an id the caller gave the request; null when none
 * @param requestPreview the root span's input, possibly truncated, as JSON text; null when none
 * @param responsePreview the root span's output, possibly truncated, as JSON text; null when none
 * @param metadata immutable key/values set when the trace was logged (MLflow's trace_metadata or
 *     request_metadata), such as {@code mlflow.sourceRun}
 * @param tags mutable key/values
 */
public record TraceInfo(
        String traceId,
        String experimentId,
        long requestTime,
        Long executionDuration,
        TraceState state,
        String clientRequestId,
        String requestPreview,
        String responsePreview,
        Map<String, String> metadata,
        Map<String, String> tags) {

    /** The tag holding the URI of the folder the trace's {@code traces.json} is uploaded to. */
    public static final String ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
    /** The tag holding the trace's name (its root span's name). */
    public static final String NAME_TAG = "mlflow.traceName";
    /** The metadata key holding the id of the run the trace was logged under. */
    public static final String SOURCE_RUN_METADATA = "mlflow.sourceRun";

    public TraceInfo {
        // sorted, so that answers list keys in a stable order
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
