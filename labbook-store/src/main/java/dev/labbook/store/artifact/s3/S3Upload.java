package dev.labbook.store.artifact.s3;

import dev.labbook.core.LabbookException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One streamed upload. The stream is read into a single buffer of the part size: a stream that
 * ends within it becomes one PutObject, a longer one a multipart upload of buffer-sized parts,
 * so memory stays at one part whatever the file's size. S3 makes the object visible only when
 * the PutObject or CompleteMultipartUpload succeeds; any failure before that (the client's
 * stream breaking included) aborts the multipart upload, so nothing partial is left.
 */
final class S3Upload {
    /** S3's limits: parts of at least 5 MiB (but the last), at most 10,000 of them. */
    static final int MIN_PART_SIZE = 5 << 20;
    static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final byte[] buffer;

    S3Upload(S3Client s3, String bucket, String key, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.buffer = new byte[partSize];
    }

    /** Uploads all of {@code data}; S3 failures surface as {@link SdkException}. */
    void run(InputStream data) {
        int n = fill(data);
        if (n < buffer.length) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) n), body(n));
            return;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int length = n; length > 0; length = length < buffer.length ? 0 : fill(data)) {
                int number = parts.size() + 1;
                if (number > MAX_PARTS) {
                    throw LabbookException.invalid("Cannot store artifact '%s': larger than %d parts of %d bytes",
                            key, MAX_PARTS, buffer.length);
                }
                int size = length;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) size), body(size)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
        } finally {
            if (!completed) {
                abort(uploadId);
            }
        }
    }

    private void abort(String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // the original failure is the one to report; a lifecycle rule can sweep the parts
        }
    }

    /**
     * The first {@code length} bytes of the buffer as a body. A provider rather than a copy: the
     * SDK may read it twice (to sign the payload over plain HTTP, and on a retry).
     */
    private RequestBody body(int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length),
                length, "application/octet-stream");
    }

    /** Reads until the buffer is full or the stream ends; the number of bytes read. */
    private int fill(InputStream data) {
        int n = 0;
        try {
            while (n < buffer.length) {
                int r = data.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the upload of " + key, e);
        }
        return n;
    }
}
