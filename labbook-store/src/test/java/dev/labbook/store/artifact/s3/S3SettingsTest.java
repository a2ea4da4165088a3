package dev.labbook.store.artifact.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/** MLflow's S3 environment variables and {@code s3://} destinations, read as an MLflow server reads them. */
class S3SettingsTest {

    @Test
    void readsAMinioLikeStoreFromMlflowsVariables() {
        S3Settings s = S3Settings.fromEnvironment(Map.of("MLFLOW_S3_ENDPOINT_URL", "http://minio:9000",
                "AWS_ACCESS_KEY_ID", "minio", "AWS_SECRET_ACCESS_KEY", "minio-secret-123", "AWS_DEFAULT_REGION", "eu-west-3"));
        assertEquals(URI.create("http://minio:9000"), s.endpoint());
        assertEquals("eu-west-3", s.region());
        assertTrue(s.pathStyle(), "path-style addressing with a custom endpoint");
        assertFalse(s.ignoreTls());
        AwsCredentials keys = s.credentials().resolveCredentials();
        assertEquals("minio", keys.accessKeyId());
        assertEquals("minio-secret-123", keys.secretAccessKey());
        assertFalse(s.toString().contains("minio-secret-123"), s.toString());
        assertFalse(s.toString().contains("minio,"), s.toString());
    }

    @Test
    void awsItselfByDefaultWithRegionProfileAndSessionTokens() {
        S3Settings aws = S3Settings.fromEnvironment(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "s", "AWS_SESSION_TOKEN", "tok"));
        assertNull(aws.endpoint());
        assertFalse(aws.pathStyle());
        assertEquals("us-west-2", aws.region(), "AWS_REGION wins over AWS_DEFAULT_REGION");
        assertEquals("tok", ((AwsSessionCredentials) aws.credentials().resolveCredentials()).sessionToken());
        assertTrue(S3Settings.fromEnvironment(Map.of("AWS_PROFILE", "team", "AWS_REGION", "us-east-2")).credentials()
                instanceof ProfileCredentialsProvider);
        assertEquals(S3Settings.DEFAULT_REGION, S3Settings.fromEnvironment(Map.of("AWS_PROFILE", "no-such-profile-here")).region());
    }

    @Test
    void honoursTlsAndPathStyleSwitches() {
        assertTrue(S3Settings.fromEnvironment(Map.of("MLFLOW_S3_ENDPOINT_URL", "https://s3.local", "MLFLOW_S3_IGNORE_TLS", "true",
                "AWS_REGION", "x")).ignoreTls());
        assertFalse(S3Settings.fromEnvironment(Map.of("MLFLOW_S3_ENDPOINT_URL", "https://s3.local", "LABBOOK_S3_PATH_STYLE", "false",
                "AWS_REGION", "x")).pathStyle());
        assertTrue(S3Settings.fromEnvironment(Map.of("LABBOOK_S3_PATH_STYLE", "true", "AWS_REGION", "x")).pathStyle());
    }

    @Test
    void refusesHalfAKeyPairAndMalformedEndpointsWithoutEchoingSecrets() {
        LabbookException half = assertThrows(LabbookException.class,
                () -> S3Settings.fromEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "top-secret")));
        assertFalse(half.getMessage().contains("top-secret"));
        for (String bad : List.of("minio:9000", "ftp://minio", "http://")) {
            assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, assertThrows(LabbookException.class,
                    () -> S3Settings.fromEnvironment(Map.of("MLFLOW_S3_ENDPOINT_URL", bad))).code(), bad);
        }
    }

    @Test
    void parsesDestinations() {
        assertEquals(new S3Location("bucket", ""), S3Location.parse("s3://bucket"));
        assertEquals(new S3Location("bucket", ""), S3Location.parse("s3://bucket/"));
        assertEquals(new S3Location("my.bucket-1", "a/b"), S3Location.parse("s3://my.bucket-1/a/b/"));
        assertEquals("s3://my.bucket-1/a/b", S3Location.parse("S3://my.bucket-1/a/b").toString());
        assertEquals("a/b/x.txt", S3Location.parse("s3://bucket/a/b").key("x.txt"));
        for (String bad : List.of("s3://", "s3://Bucket", "s3://b", "s3://bucket/../x", "s3://bucket/a//b", "gs://bucket", "/data")) {
            assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                    assertThrows(LabbookException.class, () -> S3Location.parse(bad)).code(), bad);
        }
    }
}
