package dev.labbook.store.artifact;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Artifacts as plain files under a root directory.
 *
 * <p>Containment does not rest on string checks alone: every directory on the way to a file is
 * resolved with {@link Path#toRealPath} and must still lie under the real root, so a symbolic link
 * inside the root that points elsewhere is refused (links between directories inside the root
 * are fine). A file itself is never followed when it is a link: it is opened with
 * {@code NOFOLLOW_LINKS}, and listings leave links out. Uploads go to a temporary file in the
 * target directory and are renamed into place, so a failed upload leaves nothing behind.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private final Path root;

    /** Uses {@code root} (created if missing) as the artifact root. */
    public LocalArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the artifact root " + root, e);
        }
    }

    /** The real path of the root directory. */
    public Path root() {
        return root;
    }

    @Override
    public void put(String path, InputStream data) {
        List<String> segments = fileSegments(path);
        try {
            Path dir = directory(segments.subList(0, segments.size() - 1), true, path).orElseThrow();
            Path target = dir.resolve(segments.get(segments.size() - 1));
            if (Files.isDirectory(target, NOFOLLOW_LINKS)) {
                throw LabbookException.invalid("Cannot write artifact '%s': it is a directory", path);
            }
            LocalFiles.writeAtomically(dir, target, data);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write artifact " + path, e);
        }
    }

    @Override
    public Optional<ArtifactFile> open(String path) {
        List<String> segments = fileSegments(path);
        String normalized = String.join("/", segments);
        try {
            Optional<Path> dir = directory(segments.subList(0, segments.size() - 1), false, path);
            if (dir.isEmpty()) {
                return Optional.empty();
            }
            Path file = dir.get().resolve(segments.get(segments.size() - 1));
            BasicFileAttributes attrs = attributes(file);
            if (attrs == null || attrs.isDirectory() || attrs.isOther()) {
                return Optional.empty();
            }
            if (attrs.isSymbolicLink()) {
                throw symlink(path);
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (FileSystemException e) {
                // ELOOP: the file was replaced by a link after the check above.
                throw symlink(path);
            }
            return Optional.of(new ArtifactFile(normalized, channel.size(), Channels.newInputStream(channel)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read artifact " + path, e);
        }
    }

    @Override
    public List<FileInfo> list(String path) {
        List<String> segments = ArtifactPath.segments(path);
        String prefix = segments.isEmpty() ? "" : String.join("/", segments) + "/";
        try {
            Optional<Path> dir = directory(segments, false, path);
            if (dir.isEmpty()) {
                return List.of();
            }
            List<FileInfo> out = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.get())) {
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    BasicFileAttributes attrs = attributes(child);
                    // Links, temporary upload files and names no request could address stay hidden.
                    if (attrs == null || attrs.isSymbolicLink() || attrs.isOther() || !ArtifactPath.isValidName(name)) {
                        continue;
                    }
                    out.add(attrs.isDirectory()
                            ? new FileInfo(prefix + name, true, null)
                            : new FileInfo(prefix + name, false, attrs.size()));
                }
            }
            out.sort(Comparator.comparing(FileInfo::path));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list artifacts " + path, e);
        }
    }

    @Override
    public void delete(String path) {
        List<String> segments = fileSegments(path);
        try {
            Optional<Path> dir = directory(segments.subList(0, segments.size() - 1), false, path);
            if (dir.isEmpty()) {
                return;
            }
            Path target = dir.get().resolve(segments.get(segments.size() - 1));
            BasicFileAttributes attrs = attributes(target);
            if (attrs == null) {
                return;
            }
            if (attrs.isDirectory()) {
                LocalFiles.deleteTree(target);
            } else {
                Files.deleteIfExists(target); // a link is removed itself, its target is untouched
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete artifact " + path, e);
        }
    }

    /**
     * The root must still be a directory and accept a new file: a probe file, named like an
     * upload in progress (hidden from listings, refused in requests), is created and deleted.
     */
    @Override
    public void checkReachable() {
        try {
            BasicFileAttributes attrs = attributes(root);
            if (attrs == null) {
                throw new NoSuchFileException(root.toString(), null, "the artifact root is gone");
            }
            if (!attrs.isDirectory()) {
                throw new java.nio.file.NotDirectoryException(root.toString());
            }
            Path probe = Files.createTempFile(root, ArtifactPath.TEMP_PREFIX + "health-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException("The artifact root " + root + " cannot be written", e);
        }
    }

    /**
     * Walks {@code segments} down from the root, creating missing directories when {@code create}
     * is set, and returns the real path of the last one. Each step is resolved to its real path
     * and must stay under the root: this is what defeats symbolic links pointing outside. Empty
     * when a directory is missing (or is a file) and {@code create} is not set.
     */
    private Optional<Path> directory(List<String> segments, boolean create, String path) throws IOException {
        Path dir = root;
        for (String segment : segments) {
            Path next = dir.resolve(segment);
            if (create) {
                try {
                    Files.createDirectory(next); // never follows a link at `next`: that is "already exists"
                } catch (FileAlreadyExistsException e) {
                    // checked below, whatever it is
                }
            }
            Path real;
            try {
                real = next.toRealPath();
            } catch (NoSuchFileException e) {
                if (create) {
                    throw LabbookException.invalid("Invalid artifact path '%s': '%s' is a broken link", path, segment);
                }
                return Optional.empty();
            }
            if (!real.startsWith(root)) {
                throw LabbookException.invalid("Invalid artifact path '%s': it leads outside the artifact root", path);
            }
            if (!Files.isDirectory(real, NOFOLLOW_LINKS)) {
                if (create) {
                    throw LabbookException.invalid("Invalid artifact path '%s': '%s' is a file, not a directory",
                            path, segment);
                }
                return Optional.empty();
            }
            dir = real;
        }
        return Optional.of(dir);
    }

    /** The attributes of {@code p} itself (a link is not followed), or null when it does not exist. */
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The segments of a path that must name a file or directory, not the root. */
    private static List<String> fileSegments(String path) {
        List<String> segments = ArtifactPath.segments(path);
        if (segments.isEmpty()) {
            throw LabbookException.invalid("Invalid artifact path: the path must not be empty");
        }
        return segments;
    }

    private static LabbookException symlink(String path) {
        return LabbookException.invalid("Invalid artifact path '%s': symbolic links are not followed", path);
    }
}
