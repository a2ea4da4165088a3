package dev.labbook.train.data;

import dev.labbook.core.LabbookException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and loads the data a run asks for: a path given with {@code --data}, else the folder in
 * {@code LABBOOK_DATA_DIR}, else the IMDb archive downloaded into the cache.
 */
public final class DataSources {
    /** The environment variable naming a folder (or file) of local data. */
    public static final String DATA_DIR_ENV = "LABBOOK_DATA_DIR";

    private DataSources() {}

    /**
     * What to load.
     *
     * @param data a file or directory, or null to use the environment or the download
     * @param textColumn column of the text in CSV/TSV/JSONL files
     * @param labelColumn column of the label in CSV/TSV/JSONL files
     * @param limitPerClass 0 for all data; else at most this many reviews per part and class
     * @param testFraction share of rows held out as test in files without a test part
     * @param seed the run's seed
     */
    public record Request(Path data, String textColumn, String labelColumn, int limitPerClass, double testFraction, long seed) {}

    /** Resolves where the data is, downloading IMDb when nothing local is named. */
    public static Path locate(Path data, String envDataDir, Path cacheDir, PrintStream progressOut) {
        if (data != null) {
            return data;
        }
        if (envDataDir != null && !envDataDir.isBlank()) {
            Path dir = Path.of(envDataDir);
            for (String name : new String[] {"aclImdb_v1.tar.gz", "aclImdb-labeled.tar.gz", "aclImdb"}) {
                if (Files.exists(dir.resolve(name))) {
                    return dir.resolve(name);
                }
            }
            if (Files.exists(dir)) {
                return dir;
            }
            throw LabbookException.notFound("%s points at %s, which does not exist", DATA_DIR_ENV, dir);
        }
        return Download.imdb(cacheDir).fetch(progressOut);
    }

    /** Loads the data at {@code path}: IMDb's archive or directory, or a CSV/TSV/JSONL file. */
    public static LabeledData load(Path path, Request request, PrintStream progressOut) {
        if (TabularLoader.recognizes(path)) {
            return new TabularLoader(request.textColumn(), request.labelColumn(), request.testFraction(), request.seed())
                    .load(path);
        }
        if (!Files.exists(path)) {
            throw LabbookException.notFound("no data at %s: pass --data with the IMDb archive, an aclImdb/ directory or a .csv/.tsv/.jsonl file", path);
        }
        if (ImdbLoader.recognizes(path)) {
            return new ImdbLoader(request.limitPerClass(), progressOut).load(path);
        }
        throw LabbookException.invalid("cannot tell what %s holds: expected the IMDb .tar.gz, an aclImdb/ directory or a .csv/.tsv/.jsonl file", path);
    }
}
