package dev.labbook.client;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Memory while the server is down (a measurement program, not a test): logs {@code rate} points
 * per second for {@code seconds} with no server, printing heap used, resident memory and spool
 * size every 10 s; then starts the server and times the catch-up. Args: seconds (60), rate (100000).
 */
public final class OutageMemory {
    private OutageMemory() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path tmp = Files.createTempDirectory("labbook-outage");
        int port = TestServer.freePort();
        Run run = Labbook.init(new RunOptions().setExperiment("outage").optSpoolDir(tmp.resolve("spool"))
                .optTrackingUri("http://127.0.0.1:" + port).optSystemMetrics(false).optCaptureEnvironment(false)
                .optTimeout(Duration.ofMinutes(10)));
        long maxHeap = 0;
        long maxRss = 0;
        long start = System.nanoTime();
        long logged = 0;
        for (int s = 1; s <= seconds; s++) {
            for (int i = 0; i < rate; i++) {
                run.log("loss", logged++);
            }
            while (System.nanoTime() - start < s * 1_000_000_000L) {
                Thread.sleep(5);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rss = rssKb() * 1024;
            maxHeap = Math.max(maxHeap, heap);
            maxRss = Math.max(maxRss, rss);
            if (s % 10 == 0 || s == seconds) {
                System.out.printf("t=%3ds logged=%,d heap used=%d MB rss=%d MB spool=%d MB%n", s, logged, heap >> 20, rss >> 20,
                        size(run.spoolDir()) >> 20);
            }
        }
        System.out.printf("server down %d s at %,d points/s: max heap used %d MB, max RSS %d MB%n", seconds, rate,
                maxHeap >> 20, maxRss >> 20);
        long t0 = System.nanoTime();
        try (LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", port, tmp.resolve("data")))) {
            DeliveryReport r = run.finish();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("server back: %,d points delivered in %.1f s (%,.0f points/s): %s%n", logged, secs, logged / secs, r);
        }
        LogBenchmark.delete(tmp);
        System.exit(0);
    }

    private static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private static long size(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
