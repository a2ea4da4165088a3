package dev.labbook.server.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What a server process does on SIGTERM (what {@code kill}, systemd, Docker and Kubernetes send
 * to stop it): stop gracefully (see {@link GracefulStop}), then exit with status 0, the status of
 * a clean stop. Left to the JVM, SIGTERM runs the shutdown hooks and exits with 143, which
 * process supervisors report as a failure. Other ways out of the JVM (SIGINT, {@code System.exit})
 * still stop the server through a shutdown hook.
 */
public final class Sigterm {
    private static final Logger LOG = LoggerFactory.getLogger(Sigterm.class);

    private Sigterm() {}

    /** Stops {@code server} gracefully on SIGTERM and exits 0 (1 if stopping failed). */
    public static void stopGracefully(AutoCloseable server) {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.error("Stopping the server failed", e);
                throw new IllegalStateException(e);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                stop.run();
            }
        }, "labbook-shutdown"));
        Signal.handle(new Signal("TERM"), signal -> {
            if (!stopping.compareAndSet(false, true)) {
                return; // a second SIGTERM while stopping: the first one is seeing it through
            }
            // Not on the signal's own thread, which is a daemon: once Jetty's threads are gone the
            // JVM would exit under it, with the stores still open.
            Thread stopper = new Thread(() -> {
                LOG.info("SIGTERM: finishing the requests in flight, then stopping");
                int status = 0;
                try {
                    stop.run();
                } catch (RuntimeException e) {
                    status = 1;
                }
                System.exit(status);
            }, "labbook-sigterm");
            stopper.setDaemon(false);
            stopper.start();
        });
    }
}
