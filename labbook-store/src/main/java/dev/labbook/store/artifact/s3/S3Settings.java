package dev.labbook.store.artifact.s3;

import dev.labbook.core.LabbookException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * How to reach an S3-compatible store, read from the environment variables an MLflow server
 * reads: {@code MLFLOW_S3_ENDPOINT_URL} (MinIO, Ceph, s3proxy, ...), {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}, {@code AWS_PROFILE} (a profile of
 * {@code ~/.aws/credentials} and {@code ~/.aws/config}), {@code AWS_REGION} /
 * {@code AWS_DEFAULT_REGION} and {@code MLFLOW_S3_IGNORE_TLS}. Path-style addressing
 * ({@code http://host/bucket/key}, which MinIO-like stores need) is used whenever an endpoint is
 * given, unless {@code LABBOOK_S3_PATH_STYLE=false}.
 *
 * <p>{@link #toString()} never shows credentials.
 *
 * @param endpoint the store's address; null for AWS itself
 * @param region the signing region ({@code us-east-1} when nothing names one)
 * @param pathStyle address buckets in the path rather than the host name
 * @param ignoreTls accept any TLS certificate (self-signed test stores)
 * @param credentials where the access keys come from
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, boolean ignoreTls,
        AwsCredentialsProvider credentials) {

    /** The region used when neither the environment nor the profile names one, as boto3 does for MLflow. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** The spellings of "true" MLflow accepts for its boolean variables. */
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y");

    /** Settings from this process's environment. */
    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Settings from {@code env} (a map of environment variables).
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE for a malformed endpoint, or a key id without its secret
     */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        URI endpoint = endpoint(env.get("MLFLOW_S3_ENDPOINT_URL"));
        String profile = blankToNull(env.get("AWS_PROFILE"));
        boolean pathStyle = endpoint != null && !"false".equalsIgnoreCase(env.get("LABBOOK_S3_PATH_STYLE"))
                || "true".equalsIgnoreCase(env.get("LABBOOK_S3_PATH_STYLE"));
        return new S3Settings(endpoint, region(env, profile), pathStyle, isTrue(env.get("MLFLOW_S3_IGNORE_TLS")),
                credentials(env, profile));
    }

    /** Explicit settings for a store at {@code endpoint} with fixed keys (tests, tools). */
    public static S3Settings of(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new S3Settings(endpoint, region, endpoint != null, false,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    private static URI endpoint(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw LabbookException.invalid("MLFLOW_S3_ENDPOINT_URL must be an http:// or https:// address, got '%s'", v);
        }
        return uri;
    }

    private static String region(Map<String, String> env, String profile) {
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String v = blankToNull(env.get(name));
            if (v != null) {
                return v;
            }
        }
        return profileRegion(profile == null ? "default" : profile).orElse(DEFAULT_REGION);
    }

    /** The region of the profile in ~/.aws/config; never asks the EC2 metadata service (no network). */
    private static Optional<String> profileRegion(String profile) {
        try {
            return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property(ProfileProperty.REGION));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable or malformed file: the default region
        }
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env, String profile) {
        String id = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (id != null || secret != null) {
            if (id == null || secret == null) {
                throw LabbookException.invalid("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
            }
            String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
            AwsCredentials keys = token == null
                    ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token);
            return StaticCredentialsProvider.create(keys);
        }
        if (profile != null) {
            return ProfileCredentialsProvider.create(profile);
        }
        // ~/.aws/credentials' default profile, web identity, container and instance roles
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + (endpoint == null ? "AWS" : endpoint) + ", region=" + region
                + ", pathStyle=" + pathStyle + ", ignoreTls=" + ignoreTls + "]";
    }
}
