package dev.labbook.train.data;

import dev.labbook.core.LabbookException;
import dev.labbook.train.util.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the IMDb Large Movie Review Dataset (Maas et al., 2011): the original
 * {@code aclImdb_v1.tar.gz}, the labeled-only archive of the same layout, or an extracted
 * {@code aclImdb/} directory. Archives are streamed, never extracted. The unlabeled
 * {@code train/unsup} part is skipped. Each part is sorted by review id so that every layout
 * yields the same reviews in the same order, and so the same content digest.
 */
public final class ImdbLoader {
    /** {@code train/pos/123_8.txt} anywhere below the root, e.g. under {@code aclImdb/}. */
    private static final Pattern REVIEW = Pattern.compile("(?:^|/)(train|test)/(pos|neg)/([^/]+)\\.txt$");
    private static final Comparator<Review> CANONICAL = Comparator.comparing(Review::id);

    private final int limitPerClass;
    private final PrintStream progressOut;

    /**
     * @param limitPerClass keep at most this many reviews per part and class (the first in id
     *     order), or 0 for all; tests use a small subset of the real data this way
     * @param progressOut where to draw a progress bar, or null for none
     */
    public ImdbLoader(int limitPerClass, PrintStream progressOut) {
        this.limitPerClass = limitPerClass;
        this.progressOut = progressOut;
    }

    /** Loads all reviews, reporting nothing. */
    public static LabeledData loadAll(Path path) {
        return new ImdbLoader(0, null).load(path);
    }

    private Progress progress(String label, long total, String unit) {
        return progressOut == null ? Progress.silent() : Progress.of(progressOut, label, total, unit);
    }

    /** Whether {@code path} looks like IMDb data: a {@code .tar.gz}/{@code .tgz} or a directory with its layout. */
    public static boolean recognizes(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase();
        if (Files.isDirectory(path)) {
            return Files.isDirectory(path.resolve("aclImdb")) || Files.isDirectory(path.resolve("train"));
        }
        return name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    /** Loads the archive or directory at {@code path}. */
    public LabeledData load(Path path) {
        if (!Files.exists(path)) {
            throw LabbookException.notFound("no IMDb data at %s: pass --data with the archive or the extracted aclImdb/ directory", path);
        }
        Parts parts = new Parts();
        DataInfo info = Files.isDirectory(path) ? readDirectory(path, parts) : readArchive(path, parts);
        List<Review> train = parts.finish(parts.train, limitPerClass);
        List<Review> test = parts.finish(parts.test, limitPerClass);
        String digest = Hashing.contentDigest(train, test);
        return new LabeledData(train, test,
                new DataInfo("imdb", digest, info.fileDigest(), info.sizeBytes(), info.source(), info.format()))
                .requireUsable();
    }

    private DataInfo readArchive(Path file, Parts parts) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Progress p = progress("reading " + file.getFileName(), size, "MB");
             InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             Hashing.CountingDigestStream counted = new Hashing.CountingDigestStream(raw);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(counted, 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                p.set(counted.count());
                if (entry.isFile()) {
                    Matcher m = REVIEW.matcher(entry.getName());
                    if (m.find()) {
                        parts.add(m, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            counted.drain();
            p.set(counted.count());
            return new DataInfo("imdb", "", counted.hex(), counted.count(), file.toAbsolutePath().toString(), "imdb-archive");
        } catch (IOException | IllegalArgumentException e) {
            throw LabbookException.invalid("cannot read the IMDb archive %s: it is corrupt, truncated or not a .tar.gz (%s)",
                    file, e.getMessage());
        }
    }

    private DataInfo readDirectory(Path dir, Parts parts) {
        Path root = Files.isDirectory(dir.resolve("aclImdb")) ? dir.resolve("aclImdb") : dir;
        long[] size = {0};
        Progress progress = progress("reading " + root, 0, "reviews");
        for (String part : List.of("train", "test")) {
            for (String label : List.of("pos", "neg")) {
                Path sub = root.resolve(part).resolve(label);
                if (!Files.isDirectory(sub)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Matcher m = REVIEW.matcher(part + "/" + label + "/" + f.getFileName());
                        if (m.find() && Files.isRegularFile(f)) {
                            byte[] bytes = Files.readAllBytes(f);
                            size[0] += bytes.length;
                            parts.add(m, new String(bytes, StandardCharsets.UTF_8));
                            progress.advance(1);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + sub, e);
                }
            }
        }
        progress.close();
        return new DataInfo("imdb", "", null, size[0], root.toAbsolutePath().toString(), "imdb-directory");
    }

    /** Reviews gathered per part while reading. */
    private static final class Parts {
        final List<Review> train = new ArrayList<>();
        final List<Review> test = new ArrayList<>();

        void add(Matcher m, String text) {
            String part = m.group(1);
            String label = m.group(2);
            Review r = new Review(part + "/" + label + "/" + m.group(3), text,
                    label.equals("pos") ? Review.POSITIVE : Review.NEGATIVE);
            (part.equals("train") ? train : test).add(r);
        }

        List<Review> finish(List<Review> reviews, int limitPerClass) {
            reviews.sort(CANONICAL);
            if (limitPerClass <= 0) {
                return reviews;
            }
            List<Review> kept = new ArrayList<>();
            int pos = 0;
            int neg = 0;
            for (Review r : reviews) {
                if (r.label() == Review.POSITIVE ? pos++ < limitPerClass : neg++ < limitPerClass) {
                    kept.add(r);
                }
            }
            return kept;
        }
    }
}
