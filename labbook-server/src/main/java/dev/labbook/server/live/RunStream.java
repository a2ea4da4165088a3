package dev.labbook.server.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.server.http.Json;
import dev.labbook.store.TrackingStore;
import dev.labbook.store.jdbc.DashboardQueries;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One client's live view of one run. Events:
 * <ul>
 *   <li>{@code run}: the run as runs/get returns it, on connect and whenever it changes;</li>
 *   <li>{@code points}: {@code {"<key>": [[step, timestamp, value], ...]}}, the metric points
 *       logged since the last event (or since connecting), in history order;</li>
 *   <li>{@code reset}: {@code {"keys": [...]}}, metrics with too many new points to send: the
 *       client reloads them;</li>
 *   <li>{@code end}: the run is no longer RUNNING (or is gone); the client should close.</li>
 * </ul>
 */
final class RunStream {
    /** New points of one metric sent per poll at most; beyond that the client reloads. */
    static final int MAX_POINTS_PER_POLL = 5_000;
    /** A comment is sent after this long without events, so dead connections are noticed. */
    static final long KEEPALIVE_MILLIS = 15_000;

    private final SseClient client;
    private final String runId;
    private final TrackingStore store;
    private final DashboardQueries queries;
    private final Map<String, long[]> cursors = new HashMap<>();
    private String lastRunJson;
    private long lastSent = System.currentTimeMillis();

    RunStream(SseClient client, String runId, TrackingStore store, DashboardQueries queries) {
        this.client = client;
        this.runId = runId;
        this.store = store;
        this.queries = queries;
    }

    String runId() {
        return runId;
    }

    /** Sends the snapshot; false when there is nothing to follow (no such run, or it has ended). */
    synchronized boolean start() {
        Optional<Run> run = store.getRun(runId);
        if (run.isEmpty()) {
            send("failure", LiveRoutes.message("Run with id=" + runId + " not found"));
            return false;
        }
        for (Metric m : run.get().data().metrics()) {
            cursors.put(m.key(), new long[] {m.step(), m.timestamp()});
        }
        sendRun(run.get());
        if (run.get().info().status() != RunStatus.RUNNING) {
            send("end", Map.of("status", run.get().info().status().name()));
            return false;
        }
        return true;
    }

    /** Pushes what changed since the last poll; false when the stream is over. */
    synchronized boolean poll() {
        if (client.terminated()) {
            return false;
        }
        Optional<Run> found = store.getRun(runId);
        if (found.isEmpty()) {
            send("end", Map.of("status", "DELETED"));
            return false;
        }
        Run run = found.get();
        Map<String, List<Object[]>> points = new LinkedHashMap<>();
        List<String> reset = new ArrayList<>();
        for (Metric latest : run.data().metrics()) {
            long[] cursor = cursors.get(latest.key());
            if (cursor != null && !after(latest, cursor)) {
                continue;
            }
            long step = cursor == null ? Long.MIN_VALUE : cursor[0];
            long ts = cursor == null ? Long.MIN_VALUE : cursor[1];
            List<Metric> fresh = queries.pointsAfter(runId, latest.key(), step, ts, MAX_POINTS_PER_POLL + 1);
            if (fresh.isEmpty()) {
                cursors.put(latest.key(), new long[] {latest.step(), latest.timestamp()});
                continue;
            }
            if (fresh.size() > MAX_POINTS_PER_POLL) {
                reset.add(latest.key());
                cursors.put(latest.key(), new long[] {latest.step(), latest.timestamp()});
                continue;
            }
            List<Object[]> rows = new ArrayList<>(fresh.size());
            for (Metric m : fresh) {
                rows.add(new Object[] {m.step(), m.timestamp(), m.value()});
            }
            Metric last = fresh.get(fresh.size() - 1);
            cursors.put(latest.key(), new long[] {last.step(), last.timestamp()});
            points.put(latest.key(), rows);
        }
        if (!points.isEmpty()) {
            send("points", points);
        }
        if (!reset.isEmpty()) {
            send("reset", Map.of("keys", reset));
        }
        sendRun(run);
        if (run.info().status() != RunStatus.RUNNING) {
            send("end", Map.of("status", run.info().status().name()));
            return false;
        }
        if (System.currentTimeMillis() - lastSent > KEEPALIVE_MILLIS) {
            client.sendComment("keepalive");
            lastSent = System.currentTimeMillis();
        }
        return !client.terminated();
    }

    private static boolean after(Metric m, long[] cursor) {
        return m.step() > cursor[0] || (m.step() == cursor[0] && m.timestamp() > cursor[1]);
    }

    private void sendRun(Run run) {
        String json = json(Map.of("run", run));
        if (!json.equals(lastRunJson)) {
            lastRunJson = json;
            client.sendEvent("run", json);
            lastSent = System.currentTimeMillis();
        }
    }

    private void send(String event, Object data) {
        client.sendEvent(event, json(data));
        lastSent = System.currentTimeMillis();
    }

    private static String json(Object data) {
        try {
            return Json.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // the connection is already gone
        }
    }
}
