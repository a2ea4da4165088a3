package dev.labbook.core.trace;

import java.util.Locale;

/**
 * The execution state of a trace. MLflow 3 calls it {@code state} ({@code STATE_UNSPECIFIED}, OK,
 * ERROR, IN_PROGRESS); the 2.x API calls it {@code status} with {@code TRACE_STATUS_UNSPECIFIED}
 * for the unknown state. Both spellings parse.
 */
public enum TraceState {
    STATE_UNSPECIFIED, OK, ERROR, IN_PROGRESS;

    /**
     * The state named by {@code value} in either API generation; null when {@code value} is null
     * or empty.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static TraceState parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("TRACE_STATUS_UNSPECIFIED")) {
            return STATE_UNSPECIFIED;
        }
        return valueOf(v);
    }

    /** The name the 2.x API ({@code TraceStatus}) uses for this state. */
    public String v2Name() {
        return this == STATE_UNSPECIFIED ? "TRACE_STATUS_UNSPECIFIED" : name();
    }
}
