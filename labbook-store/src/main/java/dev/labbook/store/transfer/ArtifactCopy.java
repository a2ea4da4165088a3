package dev.labbook.store.transfer;

import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies files into an artifact store and proves each copy by its SHA-256, read back from the
 * store. A file the store already holds with the same content is left alone (counted as already
 * present), which makes a repeated or resumed copy cheap and idempotent; the store's writes are
 * atomic, so an interrupted copy leaves no half file to mistake for a copied one.
 */
final class ArtifactCopy {
    /** Opens a source file; called at most twice per file (compare, then copy). */
    interface Source {
        InputStream open() throws IOException;
    }

    static final String KIND = "artifact files";
    private final ArtifactStore target;
    private final Tally tally;
    private long bytes;

    ArtifactCopy(ArtifactStore target, Tally tally) {
        this.target = target;
        this.tally = tally;
    }

    /** Bytes written so far. */
    long bytes() {
        return bytes;
    }

    /** Copies {@code source} ({@code size} bytes) to {@code path} unless it is there already. */
    void copy(String path, long size, Source source) {
        try {
            String expected = null;
            Optional<ArtifactFile> existing = target.open(path);
            if (existing.isPresent()) {
                String have;
                try (ArtifactFile f = existing.get()) {
                    have = f.size() == size ? Digests.of(f.content()) : null;
                }
                if (have != null) {
                    try (InputStream in = source.open()) {
                        expected = Digests.of(in);
                    }
                    if (expected.equals(have)) {
                        tally.present(KIND, 1);
                        return;
                    }
                }
            }
            MessageDigest md = Digests.sha256();
            try (InputStream in = new DigestInputStream(source.open(), md)) {
                target.put(path, in);
            }
            String sent = HexFormat.of().formatHex(md.digest());
            String stored;
            try (ArtifactFile f = target.open(path).orElseThrow(
                    () -> new IllegalStateException("The artifact " + path + " is missing right after it was copied"))) {
                stored = Digests.of(f.content());
            }
            if (!stored.equals(sent)) {
                throw new IllegalStateException("The copy of the artifact " + path + " has another SHA-256 than its source");
            }
            bytes += size;
            tally.added(KIND, 1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the artifact " + path + ": " + e.getMessage(), e);
        }
    }

    /** Copies every file under the local folder {@code dir} to {@code storePrefix}/its relative path. */
    void copyTree(Path dir, String storePrefix) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            copy(storePrefix.isEmpty() ? rel : storePrefix + "/" + rel, size, () -> Files.newInputStream(f));
        }
    }
}
