package dev.labbook.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Registers MLflow API endpoints. Every endpoint answers under {@code /api/2.0/mlflow/} and
 * {@code /ajax-api/2.0/mlflow/} (the prefix MLflow's own web UI uses); GET endpoints read the query
 * string, the others a JSON body.
 */
public final class Api {
    /** The REST prefixes MLflow serves its tracking API under. */
    public static final String[] PREFIXES = {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"};

    /** The prefixes of MLflow 3's API generation (traces live there): {@code /api/3.0/mlflow/}. */
    public static final String[] V3_PREFIXES = {"/api/3.0/mlflow/", "/ajax-api/3.0/mlflow/"};

    private final RoutesConfig routes;
    private final String[] prefixes;

    public Api(RoutesConfig routes) {
        this(routes, PREFIXES);
    }

    private Api(RoutesConfig routes, String[] prefixes) {
        this.routes = routes;
        this.prefixes = prefixes;
    }

    /** Registers endpoints under the 3.0 prefixes ({@link #V3_PREFIXES}) instead of the 2.0 ones. */
    public static Api v3(RoutesConfig routes) {
        return new Api(routes, V3_PREFIXES);
    }

    public Api get(String endpoint, ApiHandler handler) {
        for (String prefix : prefixes) {
            routes.get(prefix + endpoint, ctx -> respond(ctx, handler));
        }
        return this;
    }

    public Api post(String endpoint, ApiHandler handler) {
        for (String prefix : prefixes) {
            routes.post(prefix + endpoint, ctx -> respond(ctx, handler));
        }
        return this;
    }

    public Api patch(String endpoint, ApiHandler handler) {
        for (String prefix : prefixes) {
            routes.patch(prefix + endpoint, ctx -> respond(ctx, handler));
        }
        return this;
    }

    public Api delete(String endpoint, ApiHandler handler) {
        for (String prefix : prefixes) {
            routes.delete(prefix + endpoint, ctx -> respond(ctx, handler));
        }
        return this;
    }

    /** The empty message MLflow answers mutations with. */
    public static Map<String, Object> empty() {
        return Map.of();
    }

    /**
     * A response a handler writes itself, as it goes, for bodies too large to build in memory
     * (a whole metric history). Whatever can fail with an MLflow error must fail before it is
     * returned: once writing starts the status is 200.
     */
    @FunctionalInterface
    public interface Streamed {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    private static void respond(Context ctx, ApiHandler handler) throws Exception {
        Object result = handler.handle(ApiRequest.of(ctx));
        if (result instanceof Streamed streamed) {
            ctx.status(200);
            ctx.contentType("application/json");
            streamed.writeTo(ctx.outputStream());
            return;
        }
        writeJson(ctx, 200, result);
    }

    /** Writes {@code message} as the JSON body with the given status. */
    public static void writeJson(Context ctx, int status, Object message) throws java.io.IOException {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.MAPPER.writeValueAsBytes(message));
    }
}
