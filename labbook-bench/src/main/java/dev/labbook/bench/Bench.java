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
        double maxLoad = loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (!Double.isNaN(maxLoad)) {
            report.note(String.format(Locale.ROOT, "1-minute load average during the run: %.1f to %.1f on %d cores%s",
                    loads.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), maxLoad,
                    Runtime.getRuntime().availableProcessors(),
                    maxLoad > Runtime.getRuntime().availableProcessors()
                            ? " (other processes competed for the CPU: the figures are pessimistic)" : ""));
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
