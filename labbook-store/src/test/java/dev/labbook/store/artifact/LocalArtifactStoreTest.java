package dev.labbook.store.artifact;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    @TempDir
    Path tmp;
    Path outside;
    LocalArtifactStore store;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        store = new LocalArtifactStore(tmp.resolve("artifacts"));
    }

    @Test
    void roundTripsBytes() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        store.put("a/b/c.bin", new ByteArrayInputStream(data));
        try (ArtifactFile f = store.open("a/b/c.bin").orElseThrow()) {
            assertEquals("a/b/c.bin", f.path());
            assertEquals("c.bin", f.name());
            assertEquals(data.length, f.size());
            assertArrayEquals(data, f.content().readAllBytes());
        }
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        store.put("f.txt", text("one"));
        store.put("f.txt", text("two, longer"));
        assertEquals("two, longer", read("f.txt"));
    }

    @Test
    void failedUploadLeavesNoFileAndKeepsTheOldOne() throws IOException {
        assertThrows(UncheckedIOException.class, () -> store.put("d/new.bin", failingAfter(100_000, new IOException("client went away"))));
        assertTrue(store.open("d/new.bin").isEmpty());
        store.put("d/old.txt", text("old"));
        assertThrows(LabbookException.class, () -> store.put("d/old.txt",
                failingAfter(70_000, new LabbookException(ErrorCode.BAD_REQUEST, "interrupted"))));
        assertEquals("old", read("d/old.txt"));
        try (Stream<Path> files = Files.list(store.root().resolve("d"))) {
            assertEquals(List.of("old.txt"), files.map(p -> p.getFileName().toString()).toList(), "no temp files left");
        }
    }

    @Test
    void listsDirectChildrenSorted() {
        store.put("top.txt", text("12345"));
        store.put("a/x.txt", text("x"));
        store.put("a/b/y.txt", text("yy"));
        store.put("a/b/c/z.txt", text("zzz"));
        assertEquals(List.of(new FileInfo("a", true, null), new FileInfo("top.txt", false, 5L)), store.list(""));
        assertEquals(store.list(""), store.list(null));
        assertEquals(List.of(new FileInfo("a/b", true, null), new FileInfo("a/x.txt", false, 1L)), store.list("a"));
        assertEquals(List.of(new FileInfo("a/b/c", true, null), new FileInfo("a/b/y.txt", false, 2L)), store.list("a/b"));
        assertEquals(List.of(), store.list("missing"));
        assertEquals(List.of(), store.list("top.txt"));
        assertEquals(List.of(), store.list("top.txt/x"));
    }

    @Test
    void listingHidesTempFilesAndLinks() throws IOException {
        store.put("d/real.txt", text("r"));
        Files.writeString(store.root().resolve("d/" + ArtifactPath.TEMP_PREFIX + "x.tmp"), "partial");
        Files.createSymbolicLink(store.root().resolve("d/link"), outside);
        Files.writeString(store.root().resolve("d/back\\slash"), "unreachable by any request");
        assertEquals(List.of(new FileInfo("d/real.txt", false, 1L)), store.list("d"));
    }

    @Test
    void openOfMissingOrDirectoryIsEmpty() {
        store.put("a/b.txt", text("b"));
        assertTrue(store.open("nothing.txt").isEmpty());
        assertTrue(store.open("no/such/dir/f").isEmpty());
        assertTrue(store.open("a").isEmpty());
        assertTrue(store.open("a/b.txt/c").isEmpty());
    }

    @Test
    void deletesFilesAndTrees() {
        store.put("a/x.txt", text("x"));
        store.put("a/b/y.txt", text("y"));
        store.put("a/b/c/z.txt", text("z"));
        store.delete("a/b");
        assertEquals(List.of(new FileInfo("a/x.txt", false, 1L)), store.list("a"));
        store.delete("a/x.txt");
        assertEquals(List.of(), store.list("a"));
        store.delete("a/x.txt"); // already gone: nothing to do
        store.delete("never/was");
        assertInvalid(() -> store.delete(""));
        assertTrue(Files.isDirectory(store.root()));
    }

    @Test
    void putRefusesADirectoryTargetAndAFileParent() {
        store.put("a/b.txt", text("b"));
        assertInvalid(() -> store.put("a", text("x")));
        assertInvalid(() -> store.put("a/b.txt/c", text("x")));
        assertInvalid(() -> store.put("", text("x")));
        assertEquals("b", read("a/b.txt"));
    }

    @Test
    void unsafePathsAreRefusedAndNothingIsWrittenOutside() throws IOException {
        List<String> before = outsideFiles();
        for (String p : List.of("../outside/pwned.txt", "../../pwned.txt", "a/../../outside/pwned.txt",
                outside.resolve("pwned.txt").toString(), "..\\outside\\pwned.txt", "%2e%2e/outside/pwned.txt",
                "%2e%2e%2foutside%2fpwned.txt", "%252e%252e%252foutside%252fpwned.txt", "pwned.txt\u0000.png",
                "a//pwned.txt", "./pwned.txt")) {
            assertInvalid(() -> store.put(p, text("pwned")));
            assertInvalid(() -> store.open(p));
            assertInvalid(() -> store.list(p));
            assertInvalid(() -> store.delete(p));
        }
        assertEquals(before, outsideFiles());
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void aLinkToADirectoryOutsideIsNeverFollowed() throws IOException {
        Files.createSymbolicLink(store.root().resolve("link"), outside);
        List<String> before = outsideFiles();
        assertInvalid(() -> store.put("link/pwned.txt", text("pwned")));
        assertInvalid(() -> store.put("link/sub/pwned.txt", text("pwned")));
        assertInvalid(() -> store.open("link/secret.txt"));
        assertInvalid(() -> store.list("link"));
        assertInvalid(() -> store.delete("link/secret.txt"));
        assertEquals(before, outsideFiles());
        store.delete("link"); // removes the link itself
        assertFalse(Files.exists(store.root().resolve("link"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void aLinkAsTheFileIsNeverFollowed() throws IOException {
        Files.createSymbolicLink(store.root().resolve("passwd"), outside.resolve("secret.txt"));
        assertInvalid(() -> store.open("passwd"));
        store.put("passwd", text("replaced"));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")), "the link's target is untouched");
        assertFalse(Files.isSymbolicLink(store.root().resolve("passwd")));
        assertEquals("replaced", read("passwd"));
    }

    @Test
    void aBrokenLinkPointingOutsideIsNotCreatedThrough() throws IOException {
        Files.createSymbolicLink(store.root().resolve("dangling"), outside.resolve("newdir"));
        assertInvalid(() -> store.put("dangling/x.txt", text("x")));
        assertFalse(Files.exists(outside.resolve("newdir")));
        assertTrue(store.open("dangling/x.txt").isEmpty());
    }

    @Test
    void linksBetweenDirectoriesInsideTheRootAreFine() throws IOException {
        store.put("real/f.txt", text("f"));
        Files.createSymbolicLink(store.root().resolve("alias"), store.root().resolve("real"));
        store.put("alias/g.txt", text("g"));
        assertEquals("g", read("real/g.txt"));
        assertEquals("f", read("alias/f.txt"));
    }

    @Test
    void aRootThatIsALinkWorks() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real-root"));
        Path link = Files.createSymbolicLink(tmp.resolve("root-link"), real);
        LocalArtifactStore linked = new LocalArtifactStore(link);
        linked.put("x/y.txt", text("y"));
        assertTrue(Files.isRegularFile(real.resolve("x/y.txt")));
    }

    private String read(String path) {
        try (ArtifactFile f = store.open(path).orElseThrow()) {
            return new String(f.content().readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> outsideFiles() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> !p.startsWith(tmp.resolve("artifacts"))).map(Path::toString).sorted().toList();
        }
    }

    private static void assertInvalid(Executable call) {
        LabbookException e = assertThrows(LabbookException.class, call);
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code(), e.getMessage());
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    /** A stream of {@code n} bytes that then fails, like a client that disconnects mid-upload. */
    private static InputStream failingAfter(int n, Exception failure) {
        return new InputStream() {
            int left = n;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    if (failure instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) failure;
                }
                int k = Math.min(len, left);
                left -= k;
                return k;
            }
        };
    }
}
