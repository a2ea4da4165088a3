package dev.labbook.core;

/**
 * The one error type of Labbook. It carries an {@link ErrorCode}, which decides the HTTP status,
 * and a message meant for the person who sent the request.
 */
public class LabbookException extends RuntimeException {
    private final ErrorCode code;

    public LabbookException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public LabbookException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** An {@link ErrorCode#INVALID_PARAMETER_VALUE} with a formatted message. */
    public static LabbookException invalid(String format, Object... args) {
        return new LabbookException(ErrorCode.INVALID_PARAMETER_VALUE, String.format(format, args));
    }

    /** A {@link ErrorCode#RESOURCE_DOES_NOT_EXIST} with a formatted message. */
    public static LabbookException notFound(String format, Object... args) {
        return new LabbookException(ErrorCode.RESOURCE_DOES_NOT_EXIST, String.format(format, args));
    }

    /** A {@link ErrorCode#RESOURCE_ALREADY_EXISTS} with a formatted message. */
    public static LabbookException exists(String format, Object... args) {
        return new LabbookException(ErrorCode.RESOURCE_ALREADY_EXISTS, String.format(format, args));
    }
}
