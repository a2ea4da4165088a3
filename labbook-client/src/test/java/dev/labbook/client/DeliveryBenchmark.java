package dev.labbook.client;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Points per second delivered end to end (a JMH benchmark, not a test): a run logs
 * {@value #POINTS} points and finishes, which waits until the server (in this JVM, SQLite store)
 * acknowledged every one of them. The score is in points per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class DeliveryBenchmark {
    static final int POINTS = 200_000;

    private Path tmp;
    private LabbookServer server;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        tmp = Files.createTempDirectory("labbook-bench");
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, tmp.resolve("data")));
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public DeliveryReport logAndDeliver() {
        Run run = Labbook.init(new RunOptions().setExperiment("bench").optSpoolDir(tmp.resolve("spool"))
                .optTrackingUri("http://127.0.0.1:" + server.port()).optSystemMetrics(false).optCaptureEnvironment(false)
                .optTimeout(Duration.ofMinutes(5)));
        for (int i = 0; i < POINTS; i++) {
            run.log("loss", i * 0.5);
        }
        DeliveryReport r = run.finish();
        if (!r.complete()) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void stopServer() throws IOException {
        server.close();
        LogBenchmark.delete(tmp);
    }
}
