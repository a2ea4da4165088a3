package dev.labbook.server.artifact;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an upload as read from the connection. A read that fails means the client broke
 * off or sent a malformed body: that is the client's error, reported as BAD_REQUEST rather than
 * logged as a server failure. The store then discards the partial file.
 */
final class UploadBody extends FilterInputStream {

    UploadBody(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw interrupted(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw interrupted(e);
        }
    }

    private static LabbookException interrupted(IOException e) {
        return new LabbookException(ErrorCode.BAD_REQUEST, "The upload was interrupted before its end", e);
    }
}
