package dev.labbook.train;

import dev.labbook.train.data.ImdbLoader;
import dev.labbook.train.data.LabeledData;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets the tests read, from the {@code shared/datasets} folder beside the checkout
 * (CI lays a copy of shared/ next to its clone), and a small IMDb subset loaded once per JVM.
 */
public final class TestData {
    /** Reviews per part and class in the subset: 600 reviews in all, enough for ~80% accuracy. */
    public static final int PER_CLASS = 150;
    private static LabeledData small;

    private TestData() {}

    /** {@code shared/datasets}, found by walking up from the working directory. */
    public static Path datasets() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets");
            if (Files.isRegularFile(candidate.resolve("aclImdb-labeled.tar.gz"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/datasets/aclImdb-labeled.tar.gz not found above " + Path.of("").toAbsolutePath());
    }

    /** The labeled IMDb archive. */
    public static Path imdbArchive() {
        return datasets().resolve("aclImdb-labeled.tar.gz");
    }

    /** The UCI sentences folder (CSV and JSONL). */
    public static Path uciSentences() {
        return datasets().resolve("uci-sentences");
    }

    /** {@link #PER_CLASS} reviews per part and class of the real archive, read once. */
    public static synchronized LabeledData smallImdb() {
        if (small == null) {
            small = new ImdbLoader(PER_CLASS, null).load(imdbArchive());
        }
        return small;
    }
}
