package dev.labbook.serving;

import dev.labbook.core.LabbookException;
import java.time.Duration;

/**
 * How a scoring server runs.
 *
 * @param host the address to listen on
 * @param port 0 picks a free port
 * @param workers the scoring thread pool's size: how many requests are scored at once
 * @param timeout how long one request may be scored before it is answered 504
 * @param maxBodyBytes the largest request body accepted; larger ones are answered 413
 * @param pollInterval how often an alias is checked for a new version
 */
public record ServingOptions(String host, int port, int workers, Duration timeout, long maxBodyBytes, Duration pollInterval) {
    /** 16 MiB: about 4,000 long reviews per request; batch scoring has {@code labbook models predict}. */
    public static final long DEFAULT_MAX_BODY = 16L << 20;
    /** MLflow's default scoring timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** How often an alias is checked by default. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

    public ServingOptions {
        if (workers < 1) {
            throw LabbookException.invalid("-w/--workers must be at least 1, got %d", workers);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw LabbookException.invalid("-t/--timeout must be positive");
        }
        if (port < 0 || port > 65535) {
            throw LabbookException.invalid("-p/--port must be in 0..65535, got %d", port);
        }
    }

    /** Listening on {@code host:port} with one worker per core and the defaults above. */
    public static ServingOptions defaults(String host, int port) {
        return new ServingOptions(host, port, Runtime.getRuntime().availableProcessors(), DEFAULT_TIMEOUT, DEFAULT_MAX_BODY, DEFAULT_POLL);
    }

    /** The same with another worker count. */
    public ServingOptions withWorkers(int w) {
        return new ServingOptions(host, port, w, timeout, maxBodyBytes, pollInterval);
    }

    /** The same with another timeout. */
    public ServingOptions withTimeout(Duration t) {
        return new ServingOptions(host, port, workers, t, maxBodyBytes, pollInterval);
    }

    /** The same with another body limit. */
    public ServingOptions withMaxBodyBytes(long max) {
        return new ServingOptions(host, port, workers, timeout, max, pollInterval);
    }

    /** The same with another alias poll interval. */
    public ServingOptions withPollInterval(Duration p) {
        return new ServingOptions(host, port, workers, timeout, maxBodyBytes, p);
    }
}
