package dev.labbook.server.artifact;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Run;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.TrackingStore;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactPath;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.FileInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Artifacts: MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/<path>}: PUT
 * uploads, GET downloads, DELETE deletes; {@code ?path=} lists) and the tracking API's views of a
 * run's artifacts ({@code artifacts/list}, {@code /get-artifact}).
 *
 * <p>These routes are registered on Javalin directly rather than through {@link Api}: bodies
 * stream between the connection and the store (never through {@code ctx.bodyAsBytes()}, which
 * would buffer them and apply the JSON size limit), and the proxy lives under its own prefix.
 * Path safety is the store's job; every path reaches it as the client sent it.
 */
public final class ArtifactRoutes {
    /** MLflow serves its artifacts service under both prefixes, like the tracking API. */
    private static final String[] PROXY = {
        "/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/artifacts"};

    private final TrackingStore tracking;
    private final ArtifactStore artifacts;

    /** Routes serving {@code artifacts}, with run lookups in {@code tracking}. */
    public ArtifactRoutes(TrackingStore tracking, ArtifactStore artifacts) {
        this.tracking = tracking;
        this.artifacts = artifacts;
    }

    /** Declares the artifact endpoints. */
    public void register(RoutesConfig routes) {
        for (String prefix : PROXY) {
            // <path> (not {path}) captures the rest of the URL, slashes included.
            routes.put(prefix + "/<path>", this::upload);
            routes.get(prefix + "/<path>", ctx -> send(ctx, safe(ctx.pathParam("path"))));
            // Without its own route, Javalin answers HEAD with an empty 200 whether the file exists or not.
            routes.head(prefix + "/<path>", ctx -> send(ctx, safe(ctx.pathParam("path"))));
            routes.delete(prefix + "/<path>", this::delete);
            routes.get(prefix, this::listProxied);
        }
        new Api(routes).get("artifacts/list", this::listRun);
        routes.get("/get-artifact", this::getRunArtifact);
    }

    private void upload(Context ctx) throws IOException {
        artifacts.put(safe(ctx.pathParam("path")), new UploadBody(ctx.bodyInputStream()));
        Api.writeJson(ctx, 200, Api.empty());
    }

    private void delete(Context ctx) throws IOException {
        artifacts.delete(safe(ctx.pathParam("path")));
        Api.writeJson(ctx, 200, Api.empty());
    }

    /** The proxy's listing names each entry by its base name, as MLflow's does. */
    private void listProxied(Context ctx) throws IOException {
        List<FileInfo> files = listAsGivenOrAsMlflow(safe(withoutTrailingSlash(ctx.queryParam("path")))).stream()
                .map(f -> f.withPath(f.path().substring(f.path().lastIndexOf('/') + 1)))
                .toList();
        Api.writeJson(ctx, 200, Map.of("files", files));
    }

    /** A run's listing names entries by their path from the run's artifact root. */
    private Object listRun(ApiRequest req) {
        Run run = run(req);
        String root = ArtifactUris.storePath(run.info().artifactUri());
        String dir = ArtifactPath.join(root, safe(withoutTrailingSlash(req.string("path"))));
        int strip = root.isEmpty() ? 0 : root.length() + 1;
        List<FileInfo> files = listAsGivenOrAsMlflow(dir).stream()
                .map(f -> f.withPath(f.path().substring(strip)))
                .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root_uri", run.info().artifactUri());
        out.put("files", files);
        return out;
    }

    /**
     * The directory as given (decoded once); when that names nothing, the directory MLflow's
     * server would list, which decodes the path until it stops changing: a client that lists
     * {@code my%20dir} (a local folder of that name, uploaded as {@code my dir}) finds it there.
     */
    private List<FileInfo> listAsGivenOrAsMlflow(String dir) {
        List<FileInfo> files = artifacts.list(dir);
        String mlflow = ArtifactPath.asMlflowDecodes(dir);
        if (files.isEmpty() && mlflow != null && !mlflow.equals(dir)) {
            return artifacts.list(mlflow);
        }
        return files;
    }

    /** MLflow's {@code /get-artifact?run_id=&path=}, the download the web UI uses. */
    private void getRunArtifact(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        String path = safe(req.requiredString("path"));
        String root = ArtifactUris.storePath(run(req).info().artifactUri());
        send(ctx, ArtifactPath.join(root, path));
    }

    private Run run(ApiRequest req) {
        String runId = req.requiredString("run_id", "run_uuid");
        return tracking.getRun(runId)
                .orElseThrow(() -> LabbookException.notFound("Run with id=%s not found", runId));
    }

    /** Streams a file to the client; Javalin copies the stream to the connection and closes it. */
    private void send(Context ctx, String path) throws IOException {
        ArtifactFile file = artifacts.open(path)
                .orElseThrow(() -> LabbookException.notFound("No artifact file at '%s'", path));
        // Compression would change the length announced below; artifacts are mostly binary anyway.
        ctx.disableCompression();
        ctx.status(200);
        ctx.contentType(ContentTypes.guess(file.name()));
        ctx.header("Content-Length", Long.toString(file.size()));
        ctx.header("Content-Disposition", ContentTypes.attachment(file.name()));
        ctx.header("X-Content-Type-Options", "nosniff");
        if (ctx.method() == HandlerType.HEAD) {
            // Commit the headers now: left to Javalin, a HEAD response announces length 0.
            closeQuietly(file);
            ctx.res().flushBuffer();
            return;
        }
        ctx.result(file.content());
    }

    private static void closeQuietly(ArtifactFile file) {
        try {
            file.close();
        } catch (IOException e) {
            // nothing was read from it
        }
    }

    /**
     * A path from the request, refused with MLflow's exact answer ({@code validate_path_is_safe}:
     * INVALID_PARAMETER_VALUE "Invalid path", which MLflow's REST tests compare whole) when it
     * breaks {@link ArtifactPath}'s rules.
     */
    static String safe(String path) {
        try {
            ArtifactPath.segments(path);
        } catch (LabbookException e) {
            throw LabbookException.invalid("Invalid path");
        }
        return path;
    }

    /** Listings accept {@code dir/} for {@code dir}; any other empty segment stays an error. */
    private static String withoutTrailingSlash(String path) {
        return path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
