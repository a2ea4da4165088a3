package dev.labbook.client.internal;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Samples the process and machine every few seconds into {@code system/...} metrics: CPU %
 * (process and machine), resident memory, heap used, GC time, and disk and network rates where
 * the OS exposes them ({@code /proc} on Linux).
 */
public final class SystemMetrics implements Runnable {
    private final Consumer<Map<String, Double>> sink;
    private final long intervalMillis;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private volatile boolean stopped;
    private Thread thread;
    private long lastNanos;
    private long[] lastIo;
    private long[] lastNet;

    public SystemMetrics(Consumer<Map<String, Double>> sink, long intervalMillis) {
        this.sink = sink;
        this.intervalMillis = intervalMillis;
    }

    public void start(String name) {
        thread = new Thread(this, "labbook-system-metrics-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void run() {
        sample(); // primes the rates
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                try {
                    sink.accept(sample());
                } catch (RuntimeException e) {
                    return; // the run finished between the check and the log
                }
            }
        }
    }

    /** One sample; rates are over the time since the previous call. */
    Map<String, Double> sample() {
        Map<String, Double> m = new LinkedHashMap<>();
        long now = System.nanoTime();
        double secs = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
        lastNanos = now;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double p = sun.getProcessCpuLoad();
            if (p >= 0) {
                m.put("system/cpu_percent", p * 100);
            }
            double s = sun.getCpuLoad();
            if (s >= 0) {
                m.put("system/machine_cpu_percent", s * 100);
            }
        }
        m.put("system/heap_used_mb", memory.getHeapMemoryUsage().getUsed() / 1048576.0);
        long gc = 0;
        for (GarbageCollectorMXBean b : gcs) {
            gc += Math.max(0, b.getCollectionTime());
        }
        m.put("system/gc_time_ms", (double) gc);
        Long rss = procStatusKb("VmRSS:");
        if (rss != null) {
            m.put("system/rss_mb", rss / 1024.0);
        }
        long[] io = procIo();
        if (io != null && lastIo != null && secs > 0) {
            m.put("system/disk_read_mb_s", (io[0] - lastIo[0]) / secs / 1048576.0);
            m.put("system/disk_write_mb_s", (io[1] - lastIo[1]) / secs / 1048576.0);
        }
        lastIo = io;
        long[] net = procNet();
        if (net != null && lastNet != null && secs > 0) {
            m.put("system/net_rx_mb_s", (net[0] - lastNet[0]) / secs / 1048576.0);
            m.put("system/net_tx_mb_s", (net[1] - lastNet[1]) / secs / 1048576.0);
        }
        lastNet = net;
        return m;
    }

    private static Long procStatusKb(String field) {
        for (String line : lines("/proc/self/status")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return null;
    }

    /** read_bytes and write_bytes of this process (storage, not page cache). */
    private static long[] procIo() {
        long[] out = {-1, -1};
        for (String line : lines("/proc/self/io")) {
            if (line.startsWith("read_bytes:")) {
                out[0] = Long.parseLong(line.substring(11).trim());
            } else if (line.startsWith("write_bytes:")) {
                out[1] = Long.parseLong(line.substring(12).trim());
            }
        }
        return out[0] < 0 ? null : out;
    }

    /** Received and sent bytes over all interfaces but loopback. */
    private static long[] procNet() {
        List<String> lines = lines("/proc/net/dev");
        if (lines.size() < 3) {
            return null;
        }
        long rx = 0;
        long tx = 0;
        for (String line : lines.subList(2, lines.size())) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).trim().equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new long[] {rx, tx};
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
