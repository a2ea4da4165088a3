package dev.labbook.server.artifact;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.server.http.ApiRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The artifact proxy's multipart-upload routes ({@code /api/2.0/mlflow-artifacts/mpu/create|complete|abort/<path>}).
 * MLflow offers multipart uploads only when its artifact destination is a cloud store (S3, GCS,
 * Azure); over local storage its server checks the path and the request, then answers 501
 * NOT_IMPLEMENTED "Multipart upload is not supported for the current artifact repository". The
 * Python client (with {@code MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD}) recognizes exactly that
 * message and falls back to one streamed PUT, which Labbook takes at any size. Labbook's artifact
 * store is local files, so it answers as MLflow does.
 */
public final class MultipartUploadRoutes {
    /** MLflow's message, which the client matches by prefix to fall back to a plain upload. */
    static final String UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";
    private static final String[] PREFIXES = {"/api/2.0/mlflow-artifacts/mpu/", "/ajax-api/2.0/mlflow-artifacts/mpu/"};

    private MultipartUploadRoutes() {}

    /** Declares the create, complete and abort routes under both prefixes. */
    public static void register(RoutesConfig routes) {
        for (String prefix : PREFIXES) {
            routes.post(prefix + "create/<path>", ctx -> answer(ctx, "num_parts"));
            routes.post(prefix + "complete/<path>", ctx -> answer(ctx, "parts"));
            routes.post(prefix + "abort/<path>", ctx -> answer(ctx, "upload_id"));
        }
    }

    /** MLflow's order: the path's safety, then the request's schema, then the store's support. */
    private static void answer(Context ctx, String field) {
        ArtifactRoutes.safe(ctx.pathParam("path"));
        ApiRequest req = ApiRequest.of(ctx);
        req.requiredString("path");
        switch (field) {
            case "num_parts" -> req.optLong("num_parts");
            case "parts" -> {
                if (!req.has("parts")) {
                    throw ApiRequest.missing("parts");
                }
                req.string("upload_id");
            }
            default -> req.string("upload_id");
        }
        throw new LabbookException(ErrorCode.NOT_IMPLEMENTED, UNSUPPORTED);
    }
}
