package dev.labbook.store.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An artifact file opened for reading by {@link ArtifactStore#open(String)}. The caller owns the
 * stream and must close it.
 *
 * @param path the file's path from the store root
 * @param size the file's length in bytes when it was opened
 * @param content the file's bytes
 */
public record ArtifactFile(String path, long size, InputStream content) implements Closeable {

    /** The last segment of the path: the file's own name. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
