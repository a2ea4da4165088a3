package dev.labbook.server.artifact;

import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactPath;
import java.net.URI;
import java.net.URISyntaxException;

/** Run artifact URIs of the artifact proxy ({@code mlflow-artifacts:}) and the store paths they name. */
public final class ArtifactUris {
    static final String SCHEME = "mlflow-artifacts";

    private ArtifactUris() {}

    /**
     * The store path a proxied artifact URI names: {@code mlflow-artifacts:/1/abc/artifacts} and
     * {@code mlflow-artifacts://host:5000/1/abc/artifacts} both name {@code 1/abc/artifacts}. The
     * path is validated like any request path, since experiments may set their own location.
     */
    public static String storePath(String artifactUri) {
        URI uri;
        try {
            uri = artifactUri == null ? null : new URI(artifactUri);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !SCHEME.equals(uri.getScheme()) || uri.getPath() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw LabbookException.invalid(
                    "The run's artifact location '%s' is not served by this server's artifact proxy "
                            + "(expected %s:/...)", artifactUri, SCHEME);
        }
        return ArtifactPath.normalize(trimSlashes(uri.getPath()));
    }

    /** A path without one leading and one trailing slash ({@code /a/b/} is {@code a/b}). */
    static String trimSlashes(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
