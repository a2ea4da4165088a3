package dev.labbook.server.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the server's dependencies (the database, the artifact store) for {@code /health}. The
 * probes run in parallel on threads of their own, each given {@link #timeout()} to answer: a
 * database that stopped answering makes a borrowed connection wait for the pool's timeout (30 s),
 * far longer than a load balancer waits for its health check. A probe still running from an
 * earlier check is waited for again rather than started once more, so a hung dependency holds one
 * thread however often {@code /health} is asked.
 *
 * <p>Why a probe failed is logged when a component goes down (and again when it is back); the
 * report only names the component and whether it failed or timed out, because {@code /health} is
 * open to anyone and failures carry host names, paths and driver details.
 */
public final class HealthCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    /** A check of one dependency: returns when it answers, throws when it does not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    /** How one component fared: {@code reason} is null when it is up, else "error" or "timeout". */
    public record Status(String component, boolean up, String reason) {}

    /** The statuses of all components, in registration order. */
    public record Report(List<Status> statuses) {
        public boolean up() {
            return statuses.stream().allMatch(Status::up);
        }

        /** The components that are down, in registration order. */
        public List<String> down() {
            return statuses.stream().filter(s -> !s.up()).map(Status::component).toList();
        }
    }

    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final Duration timeout;
    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "labbook-health");
        t.setDaemon(true);
        return t;
    });

    /** A check whose probes each have {@code timeout} to answer. */
    public HealthCheck(Duration timeout) {
        this.timeout = timeout;
    }

    /** Adds a component; its name appears in reports ({@code database}, {@code artifact_store}). */
    public HealthCheck add(String component, Probe probe) {
        probes.put(component, probe);
        return this;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs every probe (or joins the one still running) and reports within about the timeout. */
    public Report check() {
        Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        probes.forEach((name, probe) -> futures.put(name, start(name, probe)));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Status> out = new ArrayList<>();
        futures.forEach((name, future) -> out.add(await(name, future, deadline)));
        return new Report(out);
    }

    private CompletableFuture<Void> start(String name, Probe probe) {
        CompletableFuture<Void> f = running.computeIfAbsent(name, n -> CompletableFuture.runAsync(() -> {
            try {
                probe.check();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor));
        f.whenComplete((v, e) -> running.remove(name, f));
        return f;
    }

    private Status await(String name, CompletableFuture<Void> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            transition(name, true, null);
            return new Status(name, true, null);
        } catch (TimeoutException e) {
            transition(name, false, "no answer within " + timeout.toMillis() + " ms");
            return new Status(name, false, "timeout");
        } catch (ExecutionException e) {
            transition(name, false, describe(e.getCause()));
            return new Status(name, false, "error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(name, false, "timeout");
        }
    }

    /** The failure and its causes, for the log: "what failed: why <- deeper why". */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t));
        Throwable c = t.getCause();
        for (int depth = 0; c != null && depth < 5; c = c.getCause(), depth++) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
    }

    /** Logs a component going down (with why) or coming back, once per change. */
    private void transition(String name, boolean up, String why) {
        Boolean before = lastUp.put(name, up);
        if (before == null ? !up : before != up) {
            if (up) {
                LOG.info("Health: {} is reachable again", name);
            } else {
                LOG.warn("Health: {} is down: {}", name, why);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
