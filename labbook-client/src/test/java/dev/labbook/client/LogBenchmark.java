package dev.labbook.client;

import dev.labbook.core.model.RunStatus;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@link Run#log} on the caller's thread (a JMH benchmark, not a test). "offline"
 * measures the spool append alone; "online" the same with the sender delivering to a server in
 * this JVM at the same time (on a small machine they compete for cores). Each iteration logs into
 * a fresh run whose spool is deleted afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class LogBenchmark {
    @Param({"offline", "online"})
    public String mode;

    private Path tmp;
    private LabbookServer server;
    private Run run;
    private double x;
    private long step;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        tmp = Files.createTempDirectory("labbook-bench");
        if (mode.equals("online")) {
            server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")));
        }
    }

    @Setup(Level.Iteration)
    public void startRun() {
        run = Labbook.init(new RunOptions().setExperiment("bench").optSpoolDir(tmp.resolve("spool"))
                .optTrackingUri(server == null ? tmp.resolve("data").toString() : "http://127.0.0.1:" + server.port())
                .optOffline(server == null).optSystemMetrics(false).optCaptureEnvironment(false));
    }

    @Benchmark
    public void logAutomaticStep() {
        run.log("loss", x += 0.5);
    }

    @Benchmark
    public void logExplicitStep() {
        run.log("loss", x += 0.5, step++);
    }

    @TearDown(Level.Iteration)
    public void endRun() throws IOException {
        run.finish(RunStatus.FINISHED, Duration.ZERO);
        if (run.sender() != null) {
            run.sender().stop(10_000);
        }
        delete(run.spoolDir());
    }

    @TearDown(Level.Trial)
    public void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        delete(tmp);
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
