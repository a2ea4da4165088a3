package dev.labbook.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.train.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdbLoaderTest {

    @Test
    void readsASubsetOfTheRealArchive() {
        LabeledData d = TestData.smallImdb();
        assertEquals(2 * TestData.PER_CLASS, d.train().size());
        assertEquals(2 * TestData.PER_CLASS, d.test().size());
        assertEquals(TestData.PER_CLASS, d.train().stream().filter(r -> r.label() == Review.POSITIVE).count());
        assertTrue(d.train().stream().allMatch(r -> r.id().startsWith("train/")));
        assertTrue(d.test().stream().allMatch(r -> r.id().startsWith("test/")));
        assertEquals("imdb-archive", d.info().format());
        // the file digest is the archive's published SHA-256 (DESIGN.md)
        assertEquals("4d287d9158d23bf982a1b4724b257c3aeb6938e85108771c63405ca60174e2c4", d.info().fileDigest());
        assertEquals(64, d.info().digest().length());
    }

    @Test
    void anExtractedDirectoryGivesTheSameReviewsAndDigest(@TempDir Path dir) throws IOException {
        LabeledData archive = TestData.smallImdb();
        Path root = dir.resolve("aclImdb");
        for (Review r : concat(archive.train(), archive.test())) {
            Path f = root.resolve(r.id() + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, r.text());
        }
        Files.writeString(root.resolve("imdb.vocab"), "ignored\n");
        for (Path p : List.of(dir, root)) {
            LabeledData d = new ImdbLoader(0, null).load(p);
            assertEquals(archive.train(), d.train());
            assertEquals(archive.test(), d.test());
            assertEquals(archive.info().digest(), d.info().digest());
            assertEquals("imdb-directory", d.info().format());
            assertNull(d.info().fileDigest());
        }
    }

    @Test
    void theOriginalArchiveLayoutSkipsUnlabeledReviews(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("aclImdb_v1.tar.gz");
        writeTarGz(archive, List.of(
                "aclImdb/train/pos/1_9.txt", "loved it", "aclImdb/train/neg/2_1.txt", "hated it",
                "aclImdb/train/unsup/3_0.txt", "no label", "aclImdb/test/pos/4_8.txt", "great",
                "aclImdb/test/neg/5_2.txt", "awful", "aclImdb/README", "readme"));
        LabeledData d = ImdbLoader.loadAll(archive);
        assertEquals(List.of(new Review("train/neg/2_1", "hated it", 0), new Review("train/pos/1_9", "loved it", 1)), d.train());
        assertEquals(2, d.test().size());
        assertNotEquals(TestData.smallImdb().info().digest(), d.info().digest());
    }

    @Test
    void badInputsFailWithAClearMessage(@TempDir Path dir) throws IOException {
        LabbookException missing = assertThrows(LabbookException.class, () -> ImdbLoader.loadAll(dir.resolve("nope.tar.gz")));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, missing.code());

        Path truncated = dir.resolve("truncated.tar.gz");
        byte[] real = Files.readAllBytes(TestData.imdbArchive());
        Files.write(truncated, java.util.Arrays.copyOf(real, 200_000));
        assertTrue(assertThrows(LabbookException.class, () -> ImdbLoader.loadAll(truncated))
                .getMessage().contains("corrupt, truncated"));

        Path garbage = dir.resolve("garbage.tar.gz");
        Files.writeString(garbage, "this is not gzip");
        assertThrows(LabbookException.class, () -> ImdbLoader.loadAll(garbage));

        Path empty = dir.resolve("empty.tar.gz");
        writeTarGz(empty, List.of("aclImdb/README", "nothing here"));
        assertTrue(assertThrows(LabbookException.class, () -> ImdbLoader.loadAll(empty)).getMessage().contains("empty"));

        Path oneClass = dir.resolve("one.tar.gz");
        writeTarGz(oneClass, List.of("aclImdb/train/pos/1_9.txt", "a", "aclImdb/train/pos/2_9.txt", "b",
                "aclImdb/test/pos/3_9.txt", "c", "aclImdb/test/neg/4_1.txt", "d"));
        assertTrue(assertThrows(LabbookException.class, () -> ImdbLoader.loadAll(oneClass)).getMessage().contains("only positive"));
    }

    /** Writes a tar.gz of (name, content) pairs. */
    static void writeTarGz(Path file, List<String> namesAndContents) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < namesAndContents.size(); i += 2) {
                byte[] bytes = namesAndContents.get(i + 1).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents.get(i));
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
    }

    private static List<Review> concat(List<Review> a, List<Review> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
