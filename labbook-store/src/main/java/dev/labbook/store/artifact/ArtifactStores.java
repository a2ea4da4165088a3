package dev.labbook.store.artifact;

import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.s3.S3ArtifactStore;
import dev.labbook.store.artifact.s3.S3Location;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Opens the artifact store an artifact destination names. */
public final class ArtifactStores {
    private ArtifactStores() {}

    /**
     * The store at {@code destination}: {@code s3://BUCKET/PREFIX} is an {@link S3ArtifactStore}
     * configured from the environment (see {@link dev.labbook.store.artifact.s3.S3Settings});
     * {@code file:///ABS/PATH} or a plain folder path is a {@link LocalArtifactStore}.
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE for a scheme no store serves
     */
    public static ArtifactStore open(String destination) {
        return open(destination, System.getenv());
    }

    /** {@link #open(String)} with S3 settings read from {@code env} rather than this process's environment. */
    public static ArtifactStore open(String destination, Map<String, String> env) {
        if (S3Location.isS3(destination)) {
            return S3ArtifactStore.fromEnvironment(destination, env);
        }
        return new LocalArtifactStore(localPath(destination));
    }

    /**
     * The folder of a local destination ({@code file:///ABS/PATH} or a path).
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE when {@code destination} is not local
     */
    public static Path localPath(String destination) {
        if (destination.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return Path.of(URI.create(destination));
            } catch (IllegalArgumentException e) {
                throw LabbookException.invalid("Invalid artifact destination '%s': expected file:///ABSOLUTE/PATH",
                        destination);
            }
        }
        int colon = destination.indexOf("://");
        if (colon > 0) {
            throw LabbookException.invalid("Unsupported artifact destination '%s': use s3://BUCKET/PREFIX or a folder",
                    destination);
        }
        return Path.of(destination).toAbsolutePath();
    }
}
