package dev.labbook.serving;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an alias ({@code models:/NAME@champion}): every poll interval it asks the registry
 * which version the alias points at; when that changed, it downloads and loads the new version
 * beside the one being served, and only then installs it in the server. A failed poll or load
 * leaves the current model serving and is tried again at the next poll.
 *
 * <p>It keeps only the version it serves, and asks the tracking server afresh at each poll, so
 * behind a load balancer any replica may answer: each reads the alias from the shared database,
 * and an alias moved through one replica is seen through every other.
 */
public final class AliasWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AliasWatcher.class);

    private final ModelUri uri;
    private final ModelResolver resolver;
    private final ScoringServer server;
    private final ScheduledExecutorService timer;

    private AliasWatcher(ModelUri uri, ModelResolver resolver, ScoringServer server) {
        this.uri = uri;
        this.resolver = resolver;
        this.server = server;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alias-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling {@code uri} (an alias URI) every {@code interval}. */
    public static AliasWatcher start(ModelUri uri, ModelResolver resolver, ScoringServer server, Duration interval) {
        if (uri.kind() != ModelUri.Kind.ALIAS) {
            throw new IllegalArgumentException("only an alias moves: " + uri);
        }
        AliasWatcher w = new AliasWatcher(uri, resolver, server);
        long ms = Math.max(1, interval.toMillis());
        w.timer.scheduleWithFixedDelay(w::poll, ms, ms, TimeUnit.MILLISECONDS);
        return w;
    }

    /** One check; public so a caller can force one. */
    public void poll() {
        try {
            String now = resolver.aliasVersion(uri.name(), uri.reference());
            String serving = server.current().map(LoadedModel::version).orElse(null);
            if (now.equals(serving)) {
                return;
            }
            ModelResolver.Location where = resolver.locate(uri);
            LoadedModel next = resolver.load(uri.toString(), where);
            server.install(next);
        } catch (RuntimeException e) {
            LOG.warn("checking {} failed, still serving {}: {}", uri,
                    server.current().map(LoadedModel::label).orElse("nothing"), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
