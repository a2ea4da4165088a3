package dev.labbook.server.ops;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping the server gracefully: {@link #drain()} closes the listening socket (new connections
 * are refused), has requests arriving on connections already open answered 503 with
 * {@code Connection: close}, and waits up to the timeout for the requests in flight to finish;
 * the server's stop that follows is then immediate, and the caller closes the stores.
 *
 * <p>Jetty's own graceful stop ({@code Server.setStopTimeout}) is not used as it is: it also waits
 * for idle keep-alive connections to close, which their clients do when they please, so every
 * stop would take the whole timeout (or cut pausing uploads after 1 s if the idle timeout is
 * shortened). Here only the requests being served are waited for; idle connections are closed
 * by the stop.
 */
public final class GracefulStop {
    /** How long a stop waits for in-flight requests: a 1 GB upload on a slow link may need this. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final GracefulHandler handler = new GracefulHandler();
    private final Duration timeout;
    private volatile Server server;

    /** A graceful stop that waits up to {@code timeout} for the requests in flight. */
    public GracefulStop(Duration timeout) {
        this.timeout = timeout;
        // Once shutting down, Jetty gives connections this idle timeout (1 s by default), which
        // would answer 408 to a request whose body pauses longer: the drain's timeout bounds it.
        handler.setShutdownIdleTimeout(timeout.toMillis());
    }

    /** Installs the graceful handler in front of Javalin's handlers. */
    public void install(JettyConfig jetty) {
        jetty.modifyServer(s -> {
            server = s;
            s.insertHandler(handler);
        });
    }

    /** The requests Jetty is serving now. */
    public long activeRequests() {
        return handler.getCurrentRequestCount();
    }

    /**
     * Refuses new connections and new requests, then waits until the requests in flight are done
     * or the timeout has passed (those still running are then cut off by the stop).
     */
    public void drain() {
        Server s = server;
        if (s == null || !s.isStarted()) {
            return;
        }
        for (Connector c : s.getConnectors()) {
            c.shutdown(); // closes the listening socket; its future would wait for idle connections too
        }
        try {
            handler.shutdown().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} requests still in flight after {} s; stopping anyway", activeRequests(), timeout.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Waiting for the requests in flight failed; stopping anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.setStopTimeout(0); // drained: the stop closes what is left at once
    }
}
