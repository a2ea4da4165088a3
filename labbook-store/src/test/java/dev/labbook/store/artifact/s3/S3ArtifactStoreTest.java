package dev.labbook.store.artifact.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.FileInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link S3ArtifactStore} against a real S3 API (s3proxy), one fresh bucket per test. */
class S3ArtifactStoreTest {
    private static final int PART = 5 << 20;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path dir;
    static S3TestServer server;
    static S3Client raw;

    final RequestLog requests = new RequestLog();
    String bucket;
    S3ArtifactStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start(dir.resolve("s3"));
        raw = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (raw != null) {
                raw.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void newBucket() {
        bucket = "bucket-" + BUCKETS.incrementAndGet();
        server.createBucket(bucket);
        store = store("s3://" + bucket + "/root/artifacts", 1000);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    S3ArtifactStore store(String destination, int pageSize) {
        S3Client client = S3Clients.builder(server.settings())
                .overrideConfiguration(c -> c.addExecutionInterceptor(requests)).build();
        return new S3ArtifactStore(client, S3Location.parse(destination), new S3ArtifactStore.Options(PART, pageSize));
    }

    @Test
    void roundTripsBytesUnderThePrefix() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        store.put("a/b/c.bin", new ByteArrayInputStream(data));
        try (ArtifactFile f = store.open("a/b/c.bin").orElseThrow()) {
            assertEquals("a/b/c.bin", f.path());
            assertEquals("c.bin", f.name());
            assertEquals(data.length, f.size());
            assertArrayEquals(data, f.content().readAllBytes());
        }
        assertEquals(List.of("root/artifacts/a/b/c.bin"), keys(""), "one object, under the prefix");
    }

    @Test
    void replacesAnExistingFileAndStoresEmptyOnes() throws IOException {
        store.put("f.txt", text("one"));
        store.put("f.txt", text("two, longer"));
        assertEquals("two, longer", read("f.txt"));
        store.put("empty", new ByteArrayInputStream(new byte[0]));
        assertEquals(0, store.open("empty").orElseThrow().size());
    }

    @Test
    void keepsNamesWithPercentSpacesAndUnicodeAsGiven() throws IOException {
        for (String name : List.of("100%25.txt", "my dir/a b.txt", "images/loss%step%0%timestamp%1733.png", "ünï/çødé.txt", "a+b=c&d.txt")) {
            store.put(name, text(name));
            assertEquals(name, read(name));
        }
        assertEquals(List.of(new FileInfo("my dir/a b.txt", false, 14L)), store.list("my dir"));
    }

    @Test
    void opensNothingForMissingFilesAndDirectories() {
        store.put("d/f.txt", text("x"));
        assertTrue(store.open("missing.txt").isEmpty());
        assertTrue(store.open("d").isEmpty(), "a directory is not a file");
    }

    @Test
    void listsDirectChildrenSortedWithSizes() {
        store.put("top.txt", text("12345"));
        store.put("a/x.txt", text("x"));
        store.put("a/b/y.txt", text("yy"));
        store.put("a/b/c/z.txt", text("zzz"));
        assertEquals(List.of(new FileInfo("a", true, null), new FileInfo("top.txt", false, 5L)), store.list(""));
        assertEquals(store.list(""), store.list(null));
        assertEquals(List.of(new FileInfo("a/b", true, null), new FileInfo("a/x.txt", false, 1L)), store.list("a"));
        assertEquals(List.of(new FileInfo("a/b/c", true, null), new FileInfo("a/b/y.txt", false, 2L)), store.list("a/b"));
        assertEquals(List.of(new FileInfo("a/b/c/z.txt", false, 3L)), store.list("a/b/c"));
        assertEquals(List.of(), store.list("nothing"));
        assertEquals(List.of(), store.list("top.txt"), "a file has no children");
    }

    @Test
    void listingFollowsContinuationPages() {
        S3ArtifactStore paged = store("s3://" + bucket + "/root/artifacts", 3);
        try {
            List<FileInfo> expected = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                paged.put(String.format("many/f%02d.txt", i), text("x".repeat(i)));
                expected.add(new FileInfo(String.format("many/f%02d.txt", i), false, (long) i));
            }
            for (int i = 0; i < 4; i++) {
                paged.put("many/sub" + i + "/inner.txt", text("y"));
                expected.add(new FileInfo("many/sub" + i, true, null));
            }
            requests.clear();
            assertEquals(expected, paged.list("many"), "15 entries over pages of 3");
            assertEquals(5, requests.count("ListObjectsV2"));
        } finally {
            paged.close();
        }
    }

    @Test
    void hidesFolderMarkersAndKeysNoRequestCouldName() {
        store.put("d/real.txt", text("r"));
        rawPut("root/artifacts/d/");
        rawPut("root/artifacts/d/marked/");
        rawPut("root/artifacts/d/bad\\name");
        assertEquals(List.of(new FileInfo("d/marked", true, null), new FileInfo("d/real.txt", false, 1L)),
                store.list("d"));
    }

    @Test
    void deletesFilesAndWholeTreesInBatches() {
        S3ArtifactStore paged = store("s3://" + bucket + "/root/artifacts", 4);
        try {
            paged.put("run/keep.txt", text("k"));
            paged.put("run/model2/keep.txt", text("k"));
            paged.put("run/model-x.txt", text("k"));
            for (int i = 0; i < 13; i++) {
                paged.put("run/model/" + (i % 3) + "/w" + i + ".bin", text("w"));
            }
            requests.clear();
            paged.delete("run/model");
            assertEquals(4, requests.count("DeleteObjects"), "13 keys in batches of 4");
            assertEquals(List.of(
                    new FileInfo("run/keep.txt", false, 1L),
                    new FileInfo("run/model-x.txt", false, 1L),
                    new FileInfo("run/model2", true, null)), paged.list("run"));
            assertEquals(List.of(), keys("root/artifacts/run/model/"), "no key of the tree is left");
            paged.delete("run/keep.txt");
            assertTrue(paged.open("run/keep.txt").isEmpty());
            paged.delete("run/nothing-here");
            paged.delete("run");
            assertEquals(List.of(), keys(""));
        } finally {
            paged.close();
        }
    }

    @Test
    void deletesKeyByKeyOnAStoreWithoutMultiObjectDelete() throws Exception {
        try (S3TestServer strict = S3TestServer.start(dir.resolve("strict"), false)) {
            strict.createBucket("strict-bucket");
            RequestLog log = new RequestLog();
            S3Client client = S3Clients.builder(strict.settings())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(log)).build();
            try (S3ArtifactStore s = new S3ArtifactStore(client, S3Location.parse("s3://strict-bucket/p"),
                    new S3ArtifactStore.Options(PART, 2))) {
                for (int i = 0; i < 5; i++) {
                    s.put("tree/f" + i, text("x"));
                }
                s.put("tree/sub/g", text("y"));
                s.delete("tree");
                assertEquals(List.of(), s.list(""));
                assertEquals(1, log.count("DeleteObjects"), "tried once, then remembered");
                assertEquals(7, log.count("DeleteObject"), "6 keys one by one, then the file 'tree'");
            }
        }
    }

    @Test
    void storesWithNeighbouringPrefixesDoNotSeeEachOther() {
        S3ArtifactStore other = store("s3://" + bucket + "/root/artifacts2", 1000);
        S3ArtifactStore whole = store("s3://" + bucket, 1000);
        try {
            store.put("f.txt", text("mine"));
            other.put("f.txt", text("theirs"));
            other.put("d/g.txt", text("theirs"));
            assertEquals(List.of(new FileInfo("f.txt", false, 4L)), store.list(""));
            store.delete("f.txt");
            assertEquals(List.of(new FileInfo("d", true, null), new FileInfo("f.txt", false, 6L)), other.list(""));
            assertEquals(List.of(new FileInfo("root", true, null)), whole.list(""));
            assertEquals(List.of(new FileInfo("root/artifacts2", true, null)), whole.list("root"));
        } finally {
            other.close();
            whole.close();
        }
    }

    @Test
    void refusesToWriteOverADirectoryOrBelowAFile() {
        store.put("d/f.txt", text("x"));
        assertInvalid(() -> store.put("d", text("y")));
        assertInvalid(() -> store.put("d/f.txt/g.txt", text("y")));
        assertEquals("x", read("d/f.txt"));
        assertEquals(List.of("root/artifacts/d/f.txt"), keys(""));
    }

    @Test
    void refusesTraversalAndMalformedPathsBeforeAnyRequest() {
        store.put("inside.txt", text("in"));
        List<String> bad = List.of("../x", "a/../../x", "..", ".", "a/./b", "/etc/passwd", "a//b", "a\\b", "C:/x",
                "%2e%2e/x", "%2e%2e%2fx", "a/%2E%2E/%2E%2E/x", "%252e%252e%252fx", "a\0b", "x/", "");
        for (String path : bad) {
            assertInvalid(() -> store.put(path, text("evil")));
            assertInvalid(() -> store.open(path));
            assertInvalid(() -> store.delete(path));
            if (!path.isEmpty()) {
                assertInvalid(() -> store.list(path));
            }
        }
        assertEquals(List.of("root/artifacts/inside.txt"), keys(""), "nothing written anywhere else");
        assertEquals("in", read("inside.txt"));
    }

    @Test
    void aFailedUploadLeavesNoObjectNorPartsAndKeepsTheOldFile() {
        store.put("d/old.bin", text("old"));
        // past one part, so the failure hits a multipart upload in progress
        assertThrows(LabbookException.class, () -> store.put("d/old.bin",
                failingAfter(PART + 1_000_000, new LabbookException(ErrorCode.BAD_REQUEST, "interrupted"))));
        assertThrows(UncheckedIOException.class, () -> store.put("d/new.bin",
                failingAfter(100_000, new IOException("client went away"))));
        assertEquals("old", read("d/old.bin"));
        assertTrue(store.open("d/new.bin").isEmpty());
        assertEquals(List.of(), raw.listMultipartUploads(b -> b.bucket(bucket)).uploads(), "the multipart upload was aborted");
    }

    @Test
    void aLargeUploadStreamsThroughMultipartAndDownloadsIntact() throws IOException {
        long size = 256L << 20;
        GeneratedStream upload = new GeneratedStream(size, 42);
        store.put("big/weights.bin", upload);
        String sent = upload.sha256();
        assertEquals(52, requests.count("UploadPart"), "parts of 5 MiB");
        assertEquals(1, requests.count("CompleteMultipartUpload"));
        assertEquals(0, requests.count("PutObject"));
        try (ArtifactFile f = store.open("big/weights.bin").orElseThrow()) {
            assertEquals(size, f.size());
            GeneratedStream.Digest got = GeneratedStream.digestOf(f.content());
            assertEquals(size, got.length());
            assertEquals(sent, got.sha256());
        }
        assertEquals(List.of(new FileInfo("big/weights.bin", false, size)), store.list("big"));
    }

    @Test
    void closingADownloadEarlyAbortsItAndTheStoreGoesOn() throws IOException {
        store.put("big.bin", new GeneratedStream(12L << 20, 1));
        for (int i = 0; i < 5; i++) {
            try (ArtifactFile f = store.open("big.bin").orElseThrow()) {
                assertEquals(1024, f.content().readNBytes(1024).length);
            }
        }
        store.put("small.txt", text("still works"));
        assertEquals("still works", read("small.txt"));
    }

    @Test
    void mapsS3FailuresToMlflowErrorsWithoutSecrets() throws Exception {
        S3Settings wrongKey = S3Settings.of(server.endpoint(), S3TestServer.REGION, S3TestServer.ACCESS_KEY, "not-the-secret");
        try (S3ArtifactStore denied = new S3ArtifactStore(S3Clients.create(wrongKey),
                S3Location.parse("s3://" + bucket), S3ArtifactStore.Options.DEFAULT)) {
            LabbookException e = assertThrows(LabbookException.class, () -> denied.list(""));
            assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
            assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
        }
        try (S3ArtifactStore noBucket = store("s3://no-such-bucket/x", 1000)) {
            LabbookException e = assertThrows(LabbookException.class, () -> noBucket.open("f.txt"));
            assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
            assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        S3Settings down = S3Settings.of(URI.create("http://127.0.0.1:" + closedPort), "us-east-1", "k", "s");
        try (S3ArtifactStore unreachable = new S3ArtifactStore(S3Clients.create(down),
                S3Location.parse("s3://" + bucket), S3ArtifactStore.Options.DEFAULT)) {
            LabbookException e = assertThrows(LabbookException.class, () -> unreachable.put("f.txt", text("x")));
            assertEquals(ErrorCode.TEMPORARILY_UNAVAILABLE, e.code());
        }
    }

    private List<String> keys(String prefix) {
        return raw.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private void rawPut(String key) {
        raw.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(""));
    }

    private String read(String path) {
        try (ArtifactFile f = store.open(path).orElseThrow()) {
            return new String(f.content().readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static void assertInvalid(Executable call) {
        LabbookException e = assertThrows(LabbookException.class, call);
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code(), e.getMessage());
    }

    /** Random bytes that fail with {@code failure} after {@code n} of them. */
    private static InputStream failingAfter(int n, Exception failure) {
        return new InputStream() {
            final GeneratedStream data = new GeneratedStream(n, 3);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = data.read(b, off, len);
                if (r >= 0) {
                    return r;
                }
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            }
        };
    }
}
