package dev.labbook.serving;

import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Downloaded model files, one directory per registered version ({@code models/NAME/VERSION}) or
 * run path ({@code runs/RUN_ID/PATH}). An entry is downloaded into a temporary directory beside
 * it and renamed into place, so a half-finished download is never taken for a model. Each entry
 * remembers the artifact URI it was downloaded from: if the server later says the same key lives
 * elsewhere (a new server reusing version numbers), the entry is downloaded again.
 */
public final class ModelCache {
    private static final String SOURCE_FILE = ".labbook-source";
    private final Path root;

    /** A cache in the folder {@code root} (created on the first download). */
    public ModelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code $LABBOOK_MODEL_CACHE}, else {@code ~/.cache/labbook/models}. */
    public static ModelCache fromEnvironment() {
        String env = System.getenv("LABBOOK_MODEL_CACHE");
        if (env != null && !env.isBlank()) {
            return new ModelCache(Path.of(env));
        }
        return new ModelCache(Path.of(System.getProperty("user.home"), ".cache", "labbook", "models"));
    }

    /** The cache's folder. */
    public Path root() {
        return root;
    }

    /** Fills a fresh, empty directory with a model's files. */
    @FunctionalInterface
    public interface Download {
        void into(Path dir) throws IOException;
    }

    /** The entry's directory when it holds a download of {@code source}. */
    public Optional<Path> lookup(String key, String source) {
        Path dir = dirOf(key);
        Path marker = dir.resolve(SOURCE_FILE);
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(source)) {
                return Optional.of(dir);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The entry for {@code key} downloaded from {@code source}, downloading it when it is missing or stale. */
    public Path get(String key, String source, Download download) {
        Optional<Path> hit = lookup(key, source);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path dir = dirOf(key);
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = dir.resolveSibling(".tmp-" + UUID.randomUUID());
            Files.createDirectories(tmp);
            try {
                download.into(tmp);
                Files.writeString(tmp.resolve(SOURCE_FILE), source, StandardCharsets.UTF_8);
                if (Files.exists(dir)) {
                    // a stale entry: move it aside first, so the rename below stays atomic
                    Path old = dir.resolveSibling(".old-" + UUID.randomUUID());
                    Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(old);
                }
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                    // another process finished the same download first: use its copy
                    return lookup(key, source).orElseThrow(() -> raced);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir);
                }
                return dir;
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new LabbookException(dev.labbook.core.ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Could not download the model into the cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path dirOf(String key) {
        Path dir = root;
        for (String part : key.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                continue;
            }
            dir = dir.resolve(part.replaceAll("[^A-Za-z0-9._@-]", "_"));
        }
        return dir;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // leftovers of a failed download are harmless: entries are only ever found by their marker
        }
    }
}
