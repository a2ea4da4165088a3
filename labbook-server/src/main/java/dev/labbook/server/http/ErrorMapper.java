package dev.labbook.server.http;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: MLflow's {@code {"error_code","message"}} with
 * the status the code owns. Unexpected exceptions are logged with their stack trace and answered
 * with a generic INTERNAL_ERROR, so no internals reach the client.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    public static void install(RoutesConfig routes) {
        routes.exception(LabbookException.class, (e, ctx) -> write(ctx, e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, codeFor(e.getStatus()), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> unexpected(ctx, e));
        // Javalin decodes path parameters with URLDecoder before any handler runs: a malformed
        // escape there (a lone '%', '%u002e') is the client's error, not ours.
        routes.exception(IllegalArgumentException.class, (e, ctx) -> {
            if (fromUrlDecoder(e)) {
                write(ctx, ErrorCode.INVALID_PARAMETER_VALUE, "Malformed percent-encoding in the request path");
            } else {
                unexpected(ctx, e);
            }
        });
        routes.error(404, ctx -> {
            if (!isJson(ctx)) {
                write(ctx, ErrorCode.ENDPOINT_NOT_FOUND,
                        "No endpoint " + ctx.method() + " " + ctx.path());
            }
        });
        routes.error(405, ctx -> write(ctx, ErrorCode.ENDPOINT_NOT_FOUND,
                "Method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    private static void unexpected(Context ctx, Exception e) {
        LOG.error("Unexpected error serving {} {}", ctx.method(), ctx.path(), e);
        write(ctx, ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details");
    }

    private static boolean fromUrlDecoder(IllegalArgumentException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().equals("java.net.URLDecoder");
    }

    /** Writes an error body; the status comes from the code. */
    public static void write(Context ctx, ErrorCode code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.name());
        body.put("message", message == null ? code.name() : message);
        try {
            Api.writeJson(ctx, code.httpStatus(), body);
        } catch (java.io.IOException e) {
            ctx.status(code.httpStatus());
        }
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json") && ctx.result() != null;
    }

    /** The MLflow error code for an HTTP status that did not come with one. */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 409 -> ErrorCode.RESOURCE_CONFLICT;
            case 413 -> ErrorCode.INVALID_PARAMETER_VALUE;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }
}
