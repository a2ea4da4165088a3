package dev.labbook.store.artifact.s3;

import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

/** Builds the SDK client an {@link S3ArtifactStore} talks through. */
public final class S3Clients {
    /** Enough connections for the server's concurrent transfers; the SDK's default is 50. */
    private static final int MAX_CONNECTIONS = 64;

    private S3Clients() {}

    /**
     * A synchronous client for {@code settings}. Checksums are computed and validated only where
     * the S3 API requires them: the SDK's newer default (a CRC on every request) is refused by
     * several S3-compatible stores, and the streamed uploads here have no checksum to offer up front.
     */
    public static S3Client create(S3Settings settings) {
        return builder(settings).build();
    }

    /** The builder {@link #create} builds, for callers that add their own configuration. */
    public static S3ClientBuilder builder(S3Settings settings) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(10));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(settings.credentials())
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // DeleteObjects must carry a checksum: Content-MD5, which every S3-compatible store
                // takes, rather than the newer x-amz-checksum-crc32 that s3proxy and older MinIO refuse
                .addPlugin(LegacyMd5Plugin.create());
        if (settings.ignoreTls()) {
            // any certificate and host name, as MLFLOW_S3_IGNORE_TLS asks of boto3 (verify=False);
            // built through httpClientBuilder so that closing the S3 client still closes it
            AttributeMap trustAll = AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build();
            builder.httpClientBuilder(defaults -> http.buildWithDefaults(trustAll.merge(defaults)));
        } else {
            builder.httpClientBuilder(http);
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }
}
