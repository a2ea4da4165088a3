package dev.labbook.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code labbook server --port 0} as a child JVM with the test's classpath: a replica that a test
 * can kill with SIGKILL. Its output goes to a log file beside the data; the port is read from the
 * line the server prints once it listens.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^\\s]+)");

    private final Process process;
    private final String uri;

    private ServerProcess(Process process, String uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts a replica on {@code backendStoreUri} and {@code artifacts}; returns once it listens. */
    static ServerProcess start(String backendStoreUri, Path artifacts, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.labbook.cli.Main", "server", "--port", "0",
                "--backend-store-uri", backendStoreUri, "--artifacts-destination", artifacts.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var out = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                // the process died
            }
            listening.completeExceptionally(new AssertionError("the server exited before listening; see " + log));
        }, "replica-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(p, listening.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    String uri() {
        return uri;
    }

    /** SIGKILL: no shutdown hook, no draining, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed replica did not exit");
        }
    }

    /** {@link #close}, for cleanup paths that have another failure to report. */
    void stopQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the shutdown hook stops the server
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
