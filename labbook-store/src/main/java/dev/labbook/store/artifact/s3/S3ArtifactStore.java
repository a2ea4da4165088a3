package dev.labbook.store.artifact.s3;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactPath;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.FileInfo;
import dev.labbook.store.artifact.MultipartUploads;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts as objects of an S3 bucket (AWS, or any S3-compatible store: MinIO, Ceph, s3proxy),
 * under a key prefix: the artifact {@code a/b/c.txt} of {@code s3://bucket/root} is the object
 * {@code root/a/b/c.txt}. Directories are key prefixes, as in every S3 tool.
 *
 * <p>Paths pass {@link ArtifactPath}'s rules before any request is made, so no key can leave the
 * prefix. Uploads stream in parts of a fixed size ({@link S3Upload}); downloads stream the
 * object's body; listings follow ListObjectsV2's continuation pages; recursive deletes remove up
 * to one page of keys per DeleteObjects call. Clients may also upload large files in parts
 * straight to the bucket through presigned part URLs ({@link MultipartUploads}). S3 failures
 * become MLflow errors ({@link S3Errors}).
 *
 * <p>S3 has no directories to keep a file from shadowing one, so {@link #put} checks what the
 * local store's file system enforces: the target is not a directory and no parent is a file.
 * These checks and the upload are separate requests, so two racing writers can still create
 * both {@code a} and {@code a/b}; listings then show the directory.
 */
public final class S3ArtifactStore implements ArtifactStore, MultipartUploads, AutoCloseable {
    /** How long a presigned part URL stays valid. */
    private static final Duration PART_URL_VALIDITY = Duration.ofHours(1);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Location location;
    private final Options options;
    /** False once the store has answered DeleteObjects with 501. */
    private volatile boolean batchDeletes = true;

    /**
     * Tuning of the store.
     *
     * @param partSize bytes per upload part and the size of the one buffer an upload holds
     *     (at least 5 MiB, S3's minimum; 8 MiB parts allow files up to 80 GiB)
     * @param pageSize keys per ListObjectsV2 page and per DeleteObjects batch (1 to 1000)
     */
    public record Options(int partSize, int pageSize) {
        /** 8 MiB parts (boto3's default, which MLflow uses) and S3's 1000-key pages. */
        public static final Options DEFAULT = new Options(8 << 20, 1000);

        public Options {
            if (partSize < S3Upload.MIN_PART_SIZE) {
                throw new IllegalArgumentException("partSize must be at least 5 MiB, got " + partSize);
            }
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("pageSize must be between 1 and 1000, got " + pageSize);
            }
        }
    }

    /** A store at {@code location} over {@code s3}, which it closes when closed. */
    public S3ArtifactStore(S3Client s3, S3Location location, Options options) {
        this.s3 = s3;
        this.presigner = presigner(s3);
        this.location = location;
        this.options = options;
    }

    /**
     * A store at {@code destination} ({@code s3://BUCKET/PREFIX}) with settings from {@code env},
     * a map of environment variables (see {@link S3Settings#fromEnvironment(Map)}).
     */
    public static S3ArtifactStore fromEnvironment(String destination, Map<String, String> env) {
        S3Location location = S3Location.parse(destination);
        return new S3ArtifactStore(S3Clients.create(S3Settings.fromEnvironment(env)), location, Options.DEFAULT);
    }

    /** The bucket and prefix the store writes under. */
    public S3Location location() {
        return location;
    }

    @Override
    public void put(String path, InputStream data) {
        String rel = String.join("/", fileSegments(path));
        checkWritable(rel, path);
        String key = location.key(rel);
        try {
            new S3Upload(s3, location.bucket(), key, options.partSize()).run(data);
        } catch (SdkException e) {
            throw S3Errors.map(e, "write", where(rel));
        }
    }

    @Override
    public Optional<ArtifactFile> open(String path) {
        String rel = String.join("/", fileSegments(path));
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(b -> b.bucket(location.bucket()).key(location.key(rel)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e) && !isBucketMissing(e)) {
                return Optional.empty();
            }
            throw S3Errors.map(e, "read", where(rel));
        }
        return Optional.of(new ArtifactFile(rel, body.response().contentLength(), new S3ObjectStream(body)));
    }

    @Override
    public List<FileInfo> list(String path) {
        String rel = ArtifactPath.normalize(path);
        String dirKey = location.key(rel);
        String keyPrefix = dirKey.isEmpty() ? "" : dirKey + "/";
        String pathPrefix = rel.isEmpty() ? "" : rel + "/";
        // by path; a name that is both a file and a directory (written by another tool) shows as the directory
        TreeMap<String, FileInfo> out = new TreeMap<>();
        String token = null;
        try {
            do {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(keyPrefix)
                        .delimiter("/").maxKeys(options.pageSize()).continuationToken(t));
                for (S3Object o : page.contents()) {
                    String name = o.key().substring(keyPrefix.length());
                    // folder markers ("dir/") and names no request could address stay hidden
                    if (ArtifactPath.isValidName(name)) {
                        out.putIfAbsent(pathPrefix + name, new FileInfo(pathPrefix + name, false, o.size()));
                    }
                }
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(keyPrefix.length(), p.prefix().length() - 1);
                    if (ArtifactPath.isValidName(name)) {
                        out.put(pathPrefix + name, new FileInfo(pathPrefix + name, true, null));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", where(rel));
        }
        return new ArrayList<>(out.values());
    }

    @Override
    public void delete(String path) {
        String rel = String.join("/", fileSegments(path));
        String key = location.key(rel);
        try {
            // The tree below, a page at a time (each listing starts over, since its keys are
            // gone), then the file itself: S3 answers a missing key with success.
            while (true) {
                List<ObjectIdentifier> batch = s3.listObjectsV2(b -> b.bucket(location.bucket())
                                .prefix(key + "/").maxKeys(options.pageSize()))
                        .contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                if (batch.isEmpty()) {
                    break;
                }
                deleteBatch(batch, rel);
            }
            s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw S3Errors.map(e, "delete", where(rel));
        }
    }

    /**
     * Deletes up to a page of keys in one DeleteObjects call, or one by one on a store that
     * answers DeleteObjects with 501 (Google Cloud Storage's S3 interface, some gateways): the
     * store is remembered as such.
     */
    private void deleteBatch(List<ObjectIdentifier> batch, String rel) {
        if (batchDeletes) {
            try {
                DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(location.bucket())
                        .delete(d -> d.objects(batch).quiet(true)));
                if (!r.errors().isEmpty()) {
                    String code = r.errors().get(0).code();
                    throw new LabbookException("AccessDenied".equals(code) ? ErrorCode.PERMISSION_DENIED
                            : ErrorCode.INTERNAL_ERROR, String.format("Cannot delete %s: S3 refused to delete %d objects (%s)",
                            where(rel), r.errors().size(), code));
                }
                return;
            } catch (AwsServiceException e) {
                if (e.statusCode() != 501) {
                    throw e;
                }
                batchDeletes = false;
            }
        }
        for (ObjectIdentifier o : batch) {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(o.key()));
        }
    }

    @Override
    public Started createMultipartUpload(String path, int numParts) {
        String rel = String.join("/", fileSegments(path));
        if (numParts < 1 || numParts > S3Upload.MAX_PARTS) {
            throw LabbookException.invalid("num_parts must be between 1 and %d, got %d", S3Upload.MAX_PARTS, numParts);
        }
        checkWritable(rel, path);
        String key = location.key(rel);
        try {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)).uploadId();
            List<PartTarget> parts = new ArrayList<>(numParts);
            for (int i = 1; i <= numParts; i++) {
                int number = i;
                String url = presigner.presignUploadPart(p -> p.signatureDuration(PART_URL_VALIDITY)
                        .uploadPartRequest(u -> u.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(number)))
                        .url().toString();
                parts.add(new PartTarget(number, url, Map.of()));
            }
            return new Started(uploadId, parts);
        } catch (SdkException e) {
            throw S3Errors.map(e, "start a multipart upload of", where(rel));
        }
    }

    @Override
    public void completeMultipartUpload(String path, String uploadId, List<UploadedPart> parts) {
        String rel = String.join("/", fileSegments(path));
        List<CompletedPart> completed = parts.stream()
                .sorted(java.util.Comparator.comparingInt(UploadedPart::partNumber))
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build())
                .toList();
        try {
            s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(location.key(rel)).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw S3Errors.map(e, "complete the multipart upload of", where(rel));
        }
    }

    @Override
    public void abortMultipartUpload(String path, String uploadId) {
        String rel = String.join("/", fileSegments(path));
        try {
            s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key(rel)).uploadId(uploadId));
        } catch (SdkException e) {
            throw S3Errors.map(e, "abort the multipart upload of", where(rel));
        }
    }

    /**
     * One ListObjectsV2 of at most one key under the prefix: the endpoint answers, the keys are
     * accepted and the bucket exists (failures are the mapped {@link LabbookException}s).
     */
    @Override
    public void checkReachable() {
        String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        try {
            s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1));
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", where(""));
        }
    }

    /** Closes the S3 client and its connections. */
    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    /**
     * What the local file system would refuse: writing over a directory (some key lies below the
     * target) or below a file (a parent is an object itself).
     */
    private void checkWritable(String rel, String path) {
        String key = location.key(rel);
        try {
            if (!s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(key + "/").maxKeys(1)).contents().isEmpty()) {
                throw LabbookException.invalid("Cannot write artifact '%s': it is a directory", path);
            }
            List<String> segments = ArtifactPath.segments(rel);
            for (int i = 1; i < segments.size(); i++) {
                String parent = String.join("/", segments.subList(0, i));
                if (exists(location.key(parent))) {
                    throw LabbookException.invalid("Invalid artifact path '%s': '%s' is a file, not a directory",
                            path, segments.get(i - 1));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "write", where(rel));
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(location.bucket()).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A presigner signing as {@code s3} does: same endpoint, addressing, region and keys. The
     * region and keys are given explicitly, since the presigner would otherwise look for them
     * itself (and ask the EC2 metadata service, over the network).
     */
    private static S3Presigner presigner(S3Client s3) {
        S3ServiceClientConfiguration c = s3.serviceClientConfiguration();
        S3Presigner.Builder b = S3Presigner.builder().s3Client(s3).region(c.region()).credentialsProvider(c.credentialsProvider());
        c.endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    private static boolean isBucketMissing(SdkException e) {
        return e instanceof software.amazon.awssdk.services.s3.model.NoSuchBucketException;
    }

    private String where(String rel) {
        return "'" + rel + "' (" + location + ")";
    }

    /** The segments of a path that must name a file or directory, not the root. */
    private static List<String> fileSegments(String path) {
        List<String> segments = ArtifactPath.segments(path);
        if (segments.isEmpty()) {
            throw LabbookException.invalid("Invalid artifact path: the path must not be empty");
        }
        return segments;
    }
}
