package dev.labbook.store.artifact;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where artifact files live: a tree of files addressed by relative, {@code /}-separated paths such
 * as {@code 1/0a1b.../artifacts/model/weights.bin}. Files are written and read as streams, so
 * their size is bounded by the storage, not by memory.
 *
 * <p>Every path is checked by {@link ArtifactPath#segments(String)} before it is used: a path that
 * is absolute, holds a {@code .} or {@code ..} segment, an empty segment, a backslash or a control
 * character (also once percent-decoded) is refused with
 * {@link dev.labbook.core.ErrorCode#INVALID_PARAMETER_VALUE}, and nothing is read or written
 * outside the store. Implementations throw {@link java.io.UncheckedIOException} when the storage
 * itself fails.
 */
public interface ArtifactStore {

    /**
     * Stores {@code data} at {@code path}, creating missing directories and replacing a file that
     * is already there. The data is streamed, never held in memory whole, and appears atomically:
     * readers see the old file or the complete new one, and an upload that fails half-way (the
     * stream throws) leaves no file behind. The caller closes {@code data}.
     *
     * @throws dev.labbook.core.LabbookException INVALID_PARAMETER_VALUE for an unsafe path, an
     *     empty path, or a path whose parent is a file or whose target is a directory
     */
    void put(String path, InputStream data);

    /**
     * Opens the file at {@code path} for reading.
     *
     * @return the open file, which the caller must close; empty when there is no file there
     *     (nothing, or a directory)
     */
    Optional<ArtifactFile> open(String path);

    /**
     * The direct children of the directory at {@code path} ({@code ""} or null for the root),
     * sorted by path. Each {@link FileInfo#path()} is the child's full path from the store root.
     * Empty when there is no directory at {@code path}.
     */
    List<FileInfo> list(String path);

    /**
     * Deletes the file, or the whole directory tree, at {@code path}; does nothing when there is
     * nothing there. The root itself cannot be deleted (an empty path is refused).
     */
    void delete(String path);

    /**
     * Checks that the storage answers, for {@code /health}: returns when it does, throws
     * {@link java.io.UncheckedIOException} (or another runtime exception) saying why when it does
     * not. It must be cheap (it runs on every health probe, often every few seconds) and must not
     * change what the store holds. The default lists the root, which touches the storage once;
     * implementations can probe more precisely (that the root can be written, say).
     */
    default void checkReachable() {
        list("");
    }
}
