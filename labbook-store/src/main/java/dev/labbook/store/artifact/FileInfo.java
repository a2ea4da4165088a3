package dev.labbook.store.artifact;

/**
 * One entry of an artifact listing, shaped like MLflow's {@code FileInfo} message
 * ({@code path}, {@code is_dir}, {@code file_size}).
 *
 * @param path the entry's path (from the store root, or from whatever root the caller reports)
 * @param isDir true for a directory
 * @param fileSize the file's length in bytes; null for a directory
 */
public record FileInfo(String path, boolean isDir, Long fileSize) {

    /** The same entry reported under another path (e.g. relative to a run's artifact root). */
    public FileInfo withPath(String newPath) {
        return new FileInfo(newPath, isDir, fileSize);
    }
}
