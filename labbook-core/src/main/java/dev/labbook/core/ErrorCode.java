package dev.labbook.core;

/**
 * MLflow's error codes. Each code owns the HTTP status it is answered with, so a handler only
 * ever chooses the code and never the status.
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    MALFORMED_REQUEST(400),
    /** MLflow answers an existing resource with 400, not 409. */
    RESOURCE_ALREADY_EXISTS(400),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    PERMISSION_DENIED(403),
    UNAUTHENTICATED(401),
    RESOURCE_CONFLICT(409),
    INVALID_STATE(400),
    REQUEST_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    /** What MLflow answers a feature the configured store lacks with (multipart upload on local storage). */
    NOT_IMPLEMENTED(501),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status a response carrying this code must have. */
    public int httpStatus() {
        return httpStatus;
    }
}
