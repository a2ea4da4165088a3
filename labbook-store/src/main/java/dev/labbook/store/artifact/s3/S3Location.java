package dev.labbook.store.artifact.s3;

import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactPath;

/**
 * Where in S3 a store keeps its files: a bucket and a key prefix, parsed from
 * {@code s3://BUCKET/PREFIX} (MLflow's form of an S3 artifact destination).
 *
 * @param bucket the bucket's name
 * @param prefix the keys' common prefix without slashes at either end; {@code ""} for the bucket's root
 */
public record S3Location(String bucket, String prefix) {

    /** The URI scheme of S3 destinations. */
    public static final String SCHEME = "s3://";

    /** True when {@code destination} names an S3 location ({@code s3://...}). */
    public static boolean isS3(String destination) {
        return destination != null && destination.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}; a trailing slash is ignored. The
     * prefix must pass the same rules as an artifact path, so no key can escape it.
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE for anything else
     */
    public static S3Location parse(String destination) {
        if (!isS3(destination)) {
            throw LabbookException.invalid("Not an S3 destination (expected s3://BUCKET/PREFIX): %s", destination);
        }
        String rest = destination.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        // S3's own rules for names: 3-63 characters, lower-case letters, digits, '.' and '-'.
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw LabbookException.invalid("Invalid S3 bucket name '%s' in %s", bucket, destination);
        }
        try {
            prefix = ArtifactPath.normalize(prefix);
        } catch (LabbookException e) {
            throw LabbookException.invalid("Invalid S3 key prefix '%s' in %s", prefix, destination);
        }
        return new S3Location(bucket, prefix);
    }

    /** The object key of an artifact path (already validated) under this location. */
    String key(String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "/" + path;
    }

    /** The artifact path of an object key under this location (the prefix stripped). */
    String path(String key) {
        return prefix.isEmpty() ? key : key.substring(prefix.length() + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
