package dev.labbook.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cold start and idle memory of the real distribution: {@code ./labbook server --port P} spawned
 * as a child process in an empty working directory, timed from the spawn to the first 200 answer
 * of {@code /health}; then, after {@link #IDLE_SECONDS} s of idleness, the resident set of the
 * process (the launcher {@code exec}s java, so the child's pid is the JVM's).
 */
final class StartBench {
    static final int IDLE_SECONDS = 5;

    private StartBench() {}

    static void run(Options o, Path work, Report report) throws Exception {
        if (o.home() == null) {
            report.note("cold start and idle RSS skipped: no ./labbook launcher found (run from the checkout or pass --home=DIR)");
            return;
        }
        Path launcher = o.home().resolve("labbook");
        // Builds the distribution if needed, outside of any timing.
        Process v = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (v.waitFor() != 0) {
            throw new IllegalStateException("./labbook --version failed: " + version);
        }
        boolean cds = Files.exists(o.home().resolve("labbook-cli/target/labbook.jsa"));
        System.out.printf("cold start: %s, class-data-sharing archive %s%n", version, cds ? "present" : "absent");

        Path existing = Files.createDirectory(work.resolve("start-existing"));
        start(launcher, existing, false).stop(); // warm-up: fills the OS file cache, creates a store
        int reps = o.reps(5, 2);
        List<Double> fresh = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            Child c = start(launcher, Files.createDirectory(work.resolve("start-fresh-" + i)), true);
            fresh.add(c.startMillis);
            rss.add(c.rssMb);
            c.stop();
            System.out.printf("  fresh data dir %d: %s to the first /health, idle RSS %s%n", i + 1,
                    Report.millis(c.startMillis), Report.mb(c.rssMb));
        }
        List<Double> again = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            Child c = start(launcher, existing, false);
            again.add(c.startMillis);
            c.stop();
            System.out.printf("  existing store %d: %s%n", i + 1, Report.millis(c.startMillis));
        }
        Samples f = Samples.of(fresh);
        Samples a = Samples.of(again);
        Samples r = Samples.of(rss);
        report.add(new Report.Row("cold start of `./labbook server` to the first /health 200, new data dir", "<= 1 s",
                Report.millis(f.median()), Report.millisSpread(f), f.count(),
                f.median() <= 1000 ? Report.Verdict.PASS : Report.Verdict.FAIL, null));
        report.add(new Report.Row("cold start, existing store", "<= 1 s",
                Report.millis(a.median()), Report.millisSpread(a), a.count(),
                a.median() <= 1000 ? Report.Verdict.PASS : Report.Verdict.FAIL, null));
        report.add(new Report.Row("idle RSS of the server, " + IDLE_SECONDS + " s after start-up", "<= 150 MB",
                Report.mb(r.median()), Report.mb(r.min()) + " - " + Report.mb(r.max()), r.count(),
                r.median() <= 150 ? Report.Verdict.PASS : Report.Verdict.FAIL, null));
        if (!cds) {
            report.note("no class-data-sharing archive was present for the start-up measurement");
        }
    }

    /** A running server child. */
    private static final class Child {
        Process process;
        double startMillis;
        double rssMb = Double.NaN;

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Child start(Path launcher, Path dir, boolean measureRss) throws Exception {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "server", "--port", Integer.toString(port))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + port + ".log").toFile());
        Child c = new Child();
        long t0 = System.nanoTime();
        c.process = pb.start();
        while (!health(port)) {
            if (!c.process.isAlive()) {
                throw new IllegalStateException("the server exited with " + c.process.exitValue() + "; see "
                        + dir.resolve("server-" + port + ".log"));
            }
            if (System.nanoTime() - t0 > 60_000_000_000L) {
                c.stop();
                throw new IllegalStateException("the server did not answer /health within 60 s");
            }
            Thread.sleep(1);
        }
        c.startMillis = (System.nanoTime() - t0) / 1e6;
        if (measureRss) {
            Thread.sleep(IDLE_SECONDS * 1000L);
            c.rssMb = rssMb(c.process.pid());
        }
        return c;
    }

    /** One GET /health on a fresh connection: true on a 200 answer, false when nobody listens yet. */
    private static boolean health(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[12];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    return false;
                }
                n += r;
            }
            return new String(buf, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    static double rssMb(long pid) throws IOException {
        String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        if (!cmd.startsWith("java") && !cmd.contains("/java\0")) {
            throw new IllegalStateException("process " + pid + " is not the JVM: " + cmd.replace('\0', ' '));
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
