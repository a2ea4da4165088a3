package dev.labbook.store;

import dev.labbook.core.trace.TraceState;
import java.util.Map;

/**
 * A trace as a client logs it. MLflow 3 clients log a trace once, when it has ended, with the id
 * they generated; MLflow 2 clients start one without an id (the store assigns it) and end it later.
 *
 * @param traceId the client's id, or null for the store to assign one
 * @param experimentId the experiment to log it in
 * @param requestTime start, milliseconds since the epoch
 * @param executionDuration duration in milliseconds; null while in progress
 * @param state the execution state
 * @param clientRequestId the caller's request id; may be null
 * @param requestPreview the root span's input as JSON text; may be null
 * @param responsePreview the root span's output as JSON text; may be null
 * @param metadata request metadata
 * @param tags tags
 */
public record NewTrace(
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

    public NewTrace {
        metadata = Map.copyOf(metadata);
        tags = Map.copyOf(tags);
    }
}
