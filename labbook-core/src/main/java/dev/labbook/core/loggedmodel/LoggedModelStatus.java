package dev.labbook.core.loggedmodel;

import dev.labbook.core.LabbookException;
import java.util.Locale;

/** MLflow 3's LoggedModelStatus, written by its protobuf names. */
public enum LoggedModelStatus {
    LOGGED_MODEL_STATUS_UNSPECIFIED(0),
    /** Created; its files are not all uploaded yet. */
    LOGGED_MODEL_PENDING(1),
    /** Its files are uploaded. */
    LOGGED_MODEL_READY(2),
    /** Uploading its files failed. */
    LOGGED_MODEL_UPLOAD_FAILED(3);

    private final int number;

    LoggedModelStatus(int number) {
        this.number = number;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /**
     * Reads a status as clients and filters write it: the protobuf name, its short form
     * ({@code READY}, {@code PENDING}, {@code UPLOAD_FAILED} or {@code FAILED}, any case) or
     * the enum number.
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE for anything else
     */
    public static LoggedModelStatus parse(String s) {
        String v = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
        for (LoggedModelStatus st : values()) {
            if (st.name().equals(v) || st.name().equals("LOGGED_MODEL_" + v) || Integer.toString(st.number).equals(v)) {
                return st;
            }
        }
        if (v.equals("FAILED")) {
            return LOGGED_MODEL_UPLOAD_FAILED;
        }
        throw LabbookException.invalid("Invalid logged model status '%s'; expected one of LOGGED_MODEL_PENDING, "
                + "LOGGED_MODEL_READY, LOGGED_MODEL_UPLOAD_FAILED", s);
    }
}
