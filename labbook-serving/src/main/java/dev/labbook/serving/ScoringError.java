package dev.labbook.serving;

/**
 * A request the scoring server refuses, with the status and body MLflow's scoring server gives:
 * JSON {@code {"error_code","message"}} for 4xx/5xx errors about the body, plain text for 415 (as
 * MLflow answers unsupported content types).
 */
public final class ScoringError extends RuntimeException {
    private final int status;
    private final String code;

    /** @param code the MLflow error code, or null for a plain-text body */
    public ScoringError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400 BAD_REQUEST: the body cannot be read as any accepted input. */
    static ScoringError badRequest(String message) {
        return new ScoringError(400, "BAD_REQUEST", message);
    }

    /** 400 INVALID_PARAMETER_VALUE: the input does not match the model's signature. */
    static ScoringError schema(String message) {
        return new ScoringError(400, "INVALID_PARAMETER_VALUE", message);
    }

    /** 415 with a plain-text body. */
    static ScoringError unsupported(String message) {
        return new ScoringError(415, null, message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The MLflow error code, or null for a plain-text answer. */
    public String code() {
        return code;
    }
}
