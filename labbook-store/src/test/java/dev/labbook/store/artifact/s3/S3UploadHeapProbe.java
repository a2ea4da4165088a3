package dev.labbook.store.artifact.s3;

import dev.labbook.store.artifact.ArtifactFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the heap an upload through {@link S3ArtifactStore} needs: starts s3proxy in this JVM,
 * then uploads (and downloads, checking SHA-256) a generated file from a child JVM run with a
 * small {@code -Xmx}, which reports its peak heap use. A harness, not a test (timings and
 * memory are not asserted):
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.labbook.store.artifact.s3.S3UploadHeapProbe [MiB=1024] [Xmx=256m]
 * </pre>
 */
public final class S3UploadHeapProbe {
    private S3UploadHeapProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(URI.create(args[1]), Long.parseLong(args[2]));
            return;
        }
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        String xmx = args.length > 1 ? args[1] : "256m";
        Path dir = Files.createTempDirectory("labbook-s3-heap-");
        try (S3TestServer server = S3TestServer.start(dir)) {
            server.createBucket("heap-probe");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                    S3UploadHeapProbe.class.getName(), "child", server.endpoint().toString(), Long.toString(mib)));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            int rc = p.waitFor();
            System.out.println("child exit code " + rc + " (-Xmx" + xmx + ")");
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void child(URI endpoint, long mib) throws Exception {
        long size = mib << 20;
        S3Settings settings = S3Settings.of(endpoint, S3TestServer.REGION, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY);
        try (S3ArtifactStore store = new S3ArtifactStore(S3Clients.create(settings),
                S3Location.parse("s3://heap-probe/probe"), S3ArtifactStore.Options.DEFAULT)) {
            resetPeaks();
            long t0 = System.nanoTime();
            GeneratedStream data = new GeneratedStream(size, 5);
            store.put("big.bin", data);
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            long uploadPeak = heapPeak();
            resetPeaks();
            t0 = System.nanoTime();
            GeneratedStream.Digest got;
            try (ArtifactFile f = store.open("big.bin").orElseThrow()) {
                got = GeneratedStream.digestOf(f.content());
            }
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("size %d MiB; max heap %d MiB; upload %.1f s, peak heap %d MiB; download %.1f s, peak heap %d MiB;"
                            + " SHA-256 %s%n", mib, Runtime.getRuntime().maxMemory() >> 20, upSeconds, uploadPeak >> 20,
                    downSeconds, heapPeak() >> 20, got.sha256().equals(data.sha256()) && got.length() == size ? "matches" : "DIFFERS");
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peak use since the last reset (an upper bound on live data). */
    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
