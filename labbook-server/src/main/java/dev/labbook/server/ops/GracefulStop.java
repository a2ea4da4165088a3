package dev.labbook.server.ops;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * Makes stopping the server graceful: Jetty first closes its listening socket (new connections
 * are refused), answers requests that arrive on connections already open with 503 and
 * {@code Connection: close}, and waits up to the timeout for the requests in flight to finish;
 * only then does it stop, and the caller closes the stores. Without a {@link GracefulHandler} in
 * the chain Jetty would not wait and in-flight requests would be cut off.
 */
public final class GracefulStop {
    /** How long a stop waits for in-flight requests: a 1 GB upload on a slow link may need this. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final GracefulHandler handler = new GracefulHandler();

    private GracefulStop() {}

    /** Installs the graceful handler in front of Javalin's handlers, with the given stop timeout. */
    public static GracefulStop install(JettyConfig jetty, Duration timeout) {
        GracefulStop stop = new GracefulStop();
        jetty.modifyServer(server -> {
            server.setStopTimeout(timeout.toMillis());
            server.insertHandler(stop.handler);
        });
        return stop;
    }

    /** The requests Jetty is serving now. */
    public long activeRequests() {
        return handler.getCurrentRequestCount();
    }
}
