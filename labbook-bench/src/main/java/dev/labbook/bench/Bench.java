package dev.labbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Labbook's benchmark harness ({@code ./labbook bench [--quick]}): one run measures, on this
 * machine, the raw SQLite insert rate of metric rows (the ceiling), end-to-end log-batch
 * ingestion from 1 and 8 HTTP clients, a search over 25,000 runs, a chart query on a
 * 1,000,000-point metric, the cold start of {@code ./labbook server} and its idle memory, and
 * prints them as a markdown table against their targets. Each figure is the median of several
 * timed repetitions after a warm-up, with the spread (min - max) beside it.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        Options o = Options.parse(args);
        Report report = new Report();
        Path work = Files.createTempDirectory("labbook-bench-");
        String machine = String.format("%d cores, Java %s (%s), %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getInputArguments().stream().filter(a -> a.startsWith("-XX:+Use") && a.endsWith("GC")).toList()),
                LocalDate.now());
        System.out.println("labbook bench" + (o.quick() ? " --quick" : "") + ": " + machine + "; work dir " + work);
        List<Double> loads = new ArrayList<>();
        long[] cpu0 = cpuTicks();
        try {
            loads.add(loadAverage());
            // Start-up first, while this JVM is quiet: the child should have both cores.
            if (o.runs("start")) {
                StartBench.run(o, work, report);
                loads.add(loadAverage());
            }
            double raw = Double.NaN;
            if (o.runs("raw")) {
                raw = RawInsertBench.run(o, work, report);
                loads.add(loadAverage());
            }
            if (o.runs("ingest")) {
                IngestBench.run(o, work, report, raw);
                loads.add(loadAverage());
            }
            if (o.runs("search") || o.runs("bulk")) {
                QueryBench.run(o, work, report);
                loads.add(loadAverage());
            }
        } finally {
            deleteTree(work);
        }
        long[] cpu1 = cpuTicks();
        if (cpu0 != null && cpu1 != null && cpu1[0] > cpu0[0]) {
            double others = (double) ((cpu1[1] - cpu0[1]) - (cpu1[2] - cpu0[2])) / (cpu1[0] - cpu0[0]);
            report.note(String.format(Locale.ROOT, "other processes used %.0f%% of the machine's CPU time during the run"
                    + " (1-minute load average, this run included: %.1f to %.1f on %d cores)", 100 * Math.max(0, others),
                    loads.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    Runtime.getRuntime().availableProcessors()));
        }
        System.out.println();
        System.out.println("Machine: " + machine + (o.quick() ? "; --quick" : ""));
        System.out.println();
        report.print(System.out);
        if (o.out() != null) {
            try (PrintStream ps = new PrintStream(Files.newOutputStream(o.out()), true, StandardCharsets.UTF_8)) {
                ps.println("Machine: " + machine + (o.quick() ? "; --quick" : ""));
                ps.println();
                report.print(ps);
            }
        }
        System.exit(report.allPassed() ? 0 : 2);
    }

    /**
     * Clock ticks: {total of all CPUs, busy of all CPUs, used by this process and its reaped
     * children}, from /proc; null where /proc does not exist.
     */
    private static long[] cpuTicks() {
        try {
            String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < all.length; i++) {
                total += Long.parseLong(all[i]);
            }
            long idle = Long.parseLong(all[4]) + Long.parseLong(all[5]);
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] self = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14-17 of /proc/PID/stat: utime stime cutime cstime (here at 11-14)
            long own = Long.parseLong(self[11]) + Long.parseLong(self[12]) + Long.parseLong(self[13]) + Long.parseLong(self[14]);
            return new long[] {total, total - idle, own};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The 1-minute load average, or NaN where /proc/loadavg does not exist. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
