package dev.labbook.server.live;

import dev.labbook.server.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.NewRun;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The live stream of a run over plain HTTP: snapshot, new points, the end, and a prompt stop. */
class RunStreamTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void streamsNewPointsThenEndsAndTheServerStopsPromptly() throws Exception {
        LabbookServer server = LabbookServer.start(TestConfigs.embedded("127.0.0.1", 0, dir));
        var store = server.trackingStore();
        String run = store.createRun(new NewRun("0", "ada", 1000L, "live", List.of())).runId();
        store.logBatch(run, List.of(new Metric("loss", 1.0, 1000, 0)), List.of(), List.of());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/2.0/labbook/runs/stream?run_id=" + run))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
        assertEquals("run", nextEvent(in)[0]);

        store.logBatch(run, List.of(new Metric("loss", 0.5, 2000, 1), new Metric("loss", Double.NaN, 3000, 2)), List.of(), List.of());
        String[] points = nextEvent(in);
        assertEquals("points", points[0]);
        JsonNode loss = new ObjectMapper().readTree(points[1]).get("loss");
        assertEquals(2, loss.size(), points[1]);
        assertEquals(1, loss.get(0).get(0).asLong());
        assertEquals(0.5, loss.get(0).get(2).asDouble());
        assertEquals("NaN", loss.get(1).get(2).asText());

        store.updateRun(run, RunStatus.FINISHED, 4000L, null);
        String[] event;
        do {
            event = nextEvent(in);
        } while (!event[0].equals("end"));
        assertTrue(event[1].contains("FINISHED"));

        // a second client stays connected while the server stops
        String other = store.createRun(new NewRun("0", "ada", 1000L, "other", List.of())).runId();
        HttpResponse<InputStream> open = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/2.0/labbook/runs/stream?run_id=" + other))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("run", nextEvent(new BufferedReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8)))[0]);
        long t0 = System.nanoTime();
        server.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 5000, "stopped in " + millis + " ms");
    }

    /** The next event's name and data. */
    private static String[] nextEvent(BufferedReader in) throws Exception {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (name != null) {
                    return new String[] {name, data.toString()};
                }
                continue;
            }
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        throw new AssertionError("stream ended");
    }
}
