package dev.labbook.server.trace;

import dev.labbook.core.LabbookException;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import dev.labbook.server.http.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's two wire forms: MLflow 3's TraceInfoV3 ({@code trace_id}, {@code trace_location},
 * {@code request_time} as an RFC 3339 timestamp, {@code execution_duration} as protobuf's
 * {@code "1.250s"}, {@code state}, {@code trace_metadata} and {@code tags} as JSON objects) and
 * MLflow 2's TraceInfo ({@code request_id}, {@code timestamp_ms}, {@code execution_time_ms},
 * {@code status}, {@code request_metadata} and {@code tags} as key/value lists).
 */
final class TraceJson {
    private TraceJson() {}

    /** TraceInfoV3. */
    static Map<String, Object> v3(TraceInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace_id", t.traceId());
        if (t.clientRequestId() != null) {
            m.put("client_request_id", t.clientRequestId());
        }
        m.put("trace_location", Map.of("type", "MLFLOW_EXPERIMENT",
                "mlflow_experiment", Map.of("experiment_id", t.experimentId())));
        if (t.requestPreview() != null) {
            m.put("request_preview", t.requestPreview());
        }
        if (t.responsePreview() != null) {
            m.put("response_preview", t.responsePreview());
        }
        m.put("request_time", Instant.ofEpochMilli(t.requestTime()).toString());
        if (t.executionDuration() != null) {
            m.put("execution_duration", duration(t.executionDuration()));
        }
        m.put("state", t.state().name());
        m.put("trace_metadata", t.metadata());
        m.put("tags", t.tags());
        return m;
    }

    /** A Trace message without spans: clients of MLflow experiments read spans from traces.json. */
    static Map<String, Object> trace(TraceInfo t) {
        return Map.of("trace_info", v3(t));
    }

    /** TraceInfo of the 2.x API. */
    static Map<String, Object> v2(TraceInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", t.traceId());
        m.put("experiment_id", t.experimentId());
        m.put("timestamp_ms", t.requestTime());
        if (t.executionDuration() != null) {
            m.put("execution_time_ms", t.executionDuration());
        }
        m.put("status", t.state().v2Name());
        m.put("request_metadata", pairs(t.metadata()));
        m.put("tags", pairs(t.tags()));
        return m;
    }

    private static List<Map<String, String>> pairs(Map<String, String> map) {
        List<Map<String, String>> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(Map.of("key", k, "value", v)));
        return out;
    }

    /** protobuf's JSON form of a Duration: seconds with up to 9 decimals and an {@code s}. */
    static String duration(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /** Milliseconds of a protobuf Duration in JSON ({@code "1.5s"}, {@code "0.000250s"}), rounded down. */
    static long parseDuration(String value, String field) {
        String v = value.trim();
        if (!v.endsWith("s")) {
            throw LabbookException.invalid("Invalid value '%s' for parameter '%s': expected a duration such as \"1.5s\"", value, field);
        }
        try {
            return new BigDecimal(v.substring(0, v.length() - 1)).movePointRight(3)
                    .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw LabbookException.invalid("Invalid value '%s' for parameter '%s': expected a duration such as \"1.5s\"", value, field);
        }
    }

    /** Milliseconds since the epoch of a protobuf Timestamp in JSON (RFC 3339, any offset). */
    static long parseTimestamp(String value, String field) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw LabbookException.invalid("Invalid value '%s' for parameter '%s': expected an RFC 3339 timestamp "
                    + "such as \"2025-01-31T12:00:00.123Z\"", value, field);
        }
    }

    /** A state in either generation's spelling, or INVALID_PARAMETER_VALUE. */
    static TraceState state(String value, String field) {
        try {
            return TraceState.parse(value);
        } catch (IllegalArgumentException e) {
            throw LabbookException.invalid("Invalid value '%s' for parameter '%s'; expected one of OK, ERROR, IN_PROGRESS",
                    value, field);
        }
    }

    /** A repeated {key, value} message field as a map (later keys win). */
    static Map<String, String> pairs(List<JsonObject> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonObject o : list) {
            String value = o.string("value");
            out.put(o.requiredString("key"), value == null ? "" : value);
        }
        return out;
    }
}
