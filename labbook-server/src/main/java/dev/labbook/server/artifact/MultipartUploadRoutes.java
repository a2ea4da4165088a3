package dev.labbook.server.artifact;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.artifact.ArtifactPath;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.MultipartUploads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The artifact proxy's multipart-upload routes ({@code /api/2.0/mlflow-artifacts/mpu/create|complete|abort/<dir>},
 * the body naming the client's local file in {@code path}: the artifact is {@code <dir>/<its base name>}).
 *
 * <p>Over a store that offers {@link MultipartUploads} (S3), {@code create} answers MLflow's
 * {@code {"upload_id", "credentials": [{"part_number", "url", "headers"}]}}: the client PUTs each
 * part to its presigned URL, straight to the bucket, then {@code complete} joins the parts it
 * reports ({@code [{"part_number", "etag"}]}). Over local storage MLflow's server checks the path
 * and the request, then answers 501 NOT_IMPLEMENTED "Multipart upload is not supported for the
 * current artifact repository"; the Python client (with {@code MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD})
 * recognizes exactly that message and falls back to one streamed PUT, which Labbook takes at any size.
 */
public final class MultipartUploadRoutes {
    /** MLflow's message, which the client matches by prefix to fall back to a plain upload. */
    static final String UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";
    private static final String[] PREFIXES = {"/api/2.0/mlflow-artifacts/mpu/", "/ajax-api/2.0/mlflow-artifacts/mpu/"};

    private final ArtifactStore store;

    /** Routes for uploads into {@code store}. */
    public MultipartUploadRoutes(ArtifactStore store) {
        this.store = store;
    }

    /** Declares the create, complete and abort routes under both prefixes. */
    public void register(RoutesConfig routes) {
        for (String prefix : PREFIXES) {
            routes.post(prefix + "create/<path>", this::create);
            routes.post(prefix + "complete/<path>", this::complete);
            routes.post(prefix + "abort/<path>", this::abort);
        }
    }

    /** MLflow's order: the path's safety, then the request's schema, then the store's support. */
    private void create(Context ctx) throws IOException {
        ApiRequest req = request(ctx);
        Long parts = req.optLong("num_parts");
        MultipartUploads uploads = uploads();
        MultipartUploads.Started started = uploads.createMultipartUpload(target(ctx, req),
                parts == null ? 1 : Math.toIntExact(Math.min(parts, Integer.MAX_VALUE)));
        List<Map<String, Object>> credentials = started.parts().stream().map(p -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("url", p.url());
            c.put("part_number", p.partNumber());
            c.put("headers", p.headers());
            return c;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("credentials", credentials);
        out.put("upload_id", started.uploadId());
        Api.writeJson(ctx, 200, out);
    }

    private void complete(Context ctx) throws IOException {
        ApiRequest req = request(ctx);
        if (!req.has("parts")) {
            throw ApiRequest.missing("parts");
        }
        String uploadId = req.string("upload_id");
        MultipartUploads uploads = uploads();
        List<MultipartUploads.UploadedPart> parts = req.objects("parts", p -> new MultipartUploads.UploadedPart(
                Math.toIntExact(p.requiredLong("part_number")), p.requiredString("etag")));
        uploads.completeMultipartUpload(target(ctx, req), required(uploadId), parts);
        Api.writeJson(ctx, 200, Api.empty());
    }

    private void abort(Context ctx) throws IOException {
        ApiRequest req = request(ctx);
        String uploadId = req.string("upload_id");
        MultipartUploads uploads = uploads();
        uploads.abortMultipartUpload(target(ctx, req), required(uploadId));
        Api.writeJson(ctx, 200, Api.empty());
    }

    /** The request, once the route's path has passed the artifact path rules and the body names a file. */
    private static ApiRequest request(Context ctx) {
        ArtifactRoutes.safe(ctx.pathParam("path"));
        ApiRequest req = ApiRequest.of(ctx);
        req.requiredString("path");
        return req;
    }

    private MultipartUploads uploads() {
        if (store instanceof MultipartUploads m) {
            return m;
        }
        throw new LabbookException(ErrorCode.NOT_IMPLEMENTED, UNSUPPORTED);
    }

    /** {@code <dir>/<base name of the client's file>}, as MLflow's S3 repository names the object. */
    private static String target(Context ctx, ApiRequest req) {
        String file = req.requiredString("path");
        String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        return ArtifactRoutes.safe(ArtifactPath.join(ctx.pathParam("path"), ArtifactRoutes.safe(name)));
    }

    private static String required(String uploadId) {
        if (uploadId == null || uploadId.isEmpty()) {
            throw ApiRequest.missing("upload_id");
        }
        return uploadId;
    }
}
