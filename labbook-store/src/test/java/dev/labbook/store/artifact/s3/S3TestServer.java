package dev.labbook.store.artifact.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API for tests: s3proxy in this JVM on a free loopback port, keeping objects as files
 * under a folder (so a 300 MB upload does not sit in the heap), checking AWS signatures with a
 * fixed test key. s3proxy runs its own shaded Jetty, separate from Javalin's. Close it in a
 * finally block (or use try-with-resources).
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "labbook-test-access";
    public static final String SECRET_KEY = "labbook-test-secret-0123456789";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server keeping its buckets under {@code dir}; returns once it listens. */
    public static S3TestServer start(Path dir) throws Exception {
        return start(dir, true);
    }

    /**
     * Starts a server; with {@code knowsCrc32} false it answers 501 NotImplemented to requests
     * carrying {@code x-amz-checksum-crc32}, a header s3proxy does not know (the SDK sends it on
     * DeleteObjects), as S3-compatible stores without multi-object delete refuse DeleteObjects.
     */
    public static S3TestServer start(Path dir, boolean knowsCrc32) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials("unused", "unused")
                .overrides(props)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // s3proxy checks DeleteObjects' Content-MD5 but does not know the CRC32 header beside it
                .ignoreUnknownHeaders(knowsCrc32)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw e;
        }
        return new S3TestServer(context, proxy);
    }

    /** The server's address, for {@code MLFLOW_S3_ENDPOINT_URL}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Settings reaching this server with its test key. */
    public S3Settings settings() {
        return S3Settings.of(endpoint, REGION, ACCESS_KEY, SECRET_KEY);
    }

    /** A new client of this server; the caller closes it. */
    public S3Client client() {
        return S3Clients.create(settings());
    }

    /** Creates a bucket. */
    public void createBucket(String name) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
