package dev.labbook.server.live;

import dev.labbook.server.dashboard.DashboardApi;
import dev.labbook.store.TrackingStore;
import dev.labbook.store.jdbc.DashboardQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live updates of a run for the dashboard, as Server-Sent Events at
 * {@code /api/2.0/labbook/runs/stream?run_id=...}. One timer thread polls the store for every
 * connected client about once a second and pushes what changed (see {@link RunStream}); a client
 * that goes away is dropped at the next write, and {@link #close()} ends every stream so the
 * server stops promptly.
 *
 * <p>Works across replicas: each poll reads the run and its new points from the database, not
 * from anything this process saw written, so a dashboard connected to one replica follows a run
 * that clients log to through another.
 */
public final class LiveRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);
    /** How often each stream looks for changes. */
    static final long POLL_MILLIS = 1000;

    private final TrackingStore store;
    private final DashboardQueries queries;
    private final Set<RunStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "labbook-live");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public LiveRoutes(TrackingStore store, DashboardQueries queries) {
        this.store = store;
        this.queries = queries;
        timer.scheduleWithFixedDelay(this::pollAll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    public void register(RoutesConfig routes) {
        routes.sse(DashboardApi.PREFIX + "runs/stream", this::subscribe);
    }

    /** The number of open streams (for tests and monitoring). */
    public int openStreams() {
        return streams.size();
    }

    private void subscribe(SseClient client) {
        String runId = client.ctx().queryParam("run_id");
        if (closed || runId == null || runId.isEmpty()) {
            client.sendEvent("failure", "{\"message\":\"Missing value for required parameter 'run_id'.\"}");
            client.close();
            return;
        }
        client.keepAlive();
        RunStream stream = new RunStream(client, runId, store, queries);
        client.onClose(() -> streams.remove(stream));
        try {
            if (!stream.start()) {
                client.close();
                return;
            }
        } catch (RuntimeException e) {
            LOG.debug("Live stream of run {} failed to start", runId, e);
            client.close();
            return;
        }
        streams.add(stream);
        if (closed) {
            stream.close();
        }
    }

    private void pollAll() {
        for (RunStream s : streams) {
            try {
                if (!s.poll()) {
                    streams.remove(s);
                    s.close();
                }
            } catch (RuntimeException e) {
                LOG.debug("Live stream of run {} failed; closing it", s.runId(), e);
                streams.remove(s);
                s.close();
            }
        }
    }

    /** Ends every stream and stops polling. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (RunStream s : streams) {
            s.close();
        }
        streams.clear();
    }

    static Map<String, Object> message(String text) {
        return Map.of("message", text);
    }
}
