package dev.labbook.store.artifact.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * An object's body as read from S3. Closed before its end (a HEAD request, a client that went
 * away), the connection is aborted rather than drained: draining a 1 GB object to reuse one
 * connection costs more than opening another.
 */
final class S3ObjectStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private boolean ended;

    S3ObjectStream(ResponseInputStream<?> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            response.abort();
        }
        super.close();
    }
}
