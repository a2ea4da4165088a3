package dev.labbook.server.loggedmodel;

import dev.labbook.core.LabbookException;
import dev.labbook.server.artifact.ArtifactUris;
import dev.labbook.server.artifact.ContentTypes;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactPath;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.FileInfo;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A logged model's files, which live under its artifact URI in the artifact proxy's store
 * ({@code <exp_id>/models/<model_id>/artifacts/...}): what clients upload through
 * {@code mlflow-artifacts/artifacts/...} is what these list and send.
 */
final class ModelArtifacts {
    private final ArtifactStore store;

    ModelArtifacts(ArtifactStore store) {
        this.store = store;
    }

    /** The listing of a directory of the model, entries named by their path from the model's root. */
    Map<String, Object> list(String artifactUri, String directory) {
        String root = ArtifactUris.storePath(artifactUri);
        String dir = ArtifactPath.join(root, withoutTrailingSlash(directory));
        int strip = root.isEmpty() ? 0 : root.length() + 1;
        List<FileInfo> files = store.list(dir).stream().map(f -> f.withPath(f.path().substring(strip))).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root_uri", artifactUri);
        out.put("files", files);
        return out;
    }

    /** Streams one file of the model; RESOURCE_DOES_NOT_EXIST when there is none. */
    void send(Context ctx, String artifactUri, String path) {
        String full = ArtifactPath.join(ArtifactUris.storePath(artifactUri), path);
        ArtifactFile file = store.open(full)
                .orElseThrow(() -> LabbookException.notFound("No artifact file at '%s'", path));
        // Compression would change the announced length; model files are mostly binary anyway.
        ctx.disableCompression();
        ctx.status(200);
        ctx.contentType(ContentTypes.guess(file.name()));
        ctx.header("Content-Length", Long.toString(file.size()));
        ctx.header("Content-Disposition", ContentTypes.attachment(file.name()));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(file.content());
    }

    private static String withoutTrailingSlash(String path) {
        return path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
