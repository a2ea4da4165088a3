package dev.labbook.store.artifact;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/** The two file operations of {@link LocalArtifactStore} that take more than one system call. */
final class LocalFiles {
    private static final int COPY_BUFFER = 64 * 1024;

    private LocalFiles() {}

    /** Streams into a fresh temporary file next to the target, then renames it into place. */
    static void writeAtomically(Path dir, Path target, InputStream data) throws IOException {
        Path temp = dir.resolve(ArtifactPath.TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW_LINKS)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = data.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
                // On disk before the rename, so a crash cannot leave a renamed but empty file.
                channel.force(false);
            }
            // rename(2): atomic, replaces an existing file (or a link, never its target).
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Deletes a tree bottom-up; walkFileTree does not follow links, so nothing outside is touched. */
    static void deleteTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
