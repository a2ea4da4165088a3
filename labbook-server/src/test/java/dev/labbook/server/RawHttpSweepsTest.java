package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/2.0/labbook/sweeps/*} on a real server: claims from many threads, leases, errors. */
class RawHttpSweepsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    private static final String SWEEPS = "/api/2.0/labbook/sweeps/";

    private static RawHttp.Response post(String endpoint, Object body) {
        return server.http().send("POST", SWEEPS + endpoint, RawHttp.write(body));
    }

    private static RawHttp.Response get(String endpoint, String query) {
        return server.http().send("GET", SWEEPS + endpoint + "?" + query, null);
    }

    private static JsonNode create(String yaml) {
        return post("create", Map.of("config", yaml)).ok().get("sweep");
    }

    @Test
    void sixteenThreadsClaimingNeverGetTheSameTrial() throws Exception {
        JsonNode sweep = create("""
                name: concurrent
                method: tpe
                metric: {name: y, goal: minimize}
                run_cap: 64
                seed: 11
                tpe: {n_startup_trials: 8}
                parameters:
                  x: {min: -3.0, max: 3.0}
                  k: {values: [a, b, c]}
                """);
        String id = sweep.get("sweep_id").asText();
        assertEquals("RUNNING", sweep.get("state").asText());
        assertEquals("tpe", sweep.at("/config/method").asText(), "the configuration comes back as an object");
        Set<String> trialIds = ConcurrentHashMap.newKeySet();
        Set<String> runIds = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> duplicates = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> agents = new ArrayList<>();
            for (int a = 0; a < 16; a++) {
                String agent = "agent-" + a;
                agents.add(pool.submit(() -> {
                    int mine = 0;
                    while (true) {
                        JsonNode c = post("claim", Map.of("sweep_id", id, "agent_id", agent)).ok();
                        if (!c.has("trial")) {
                            if (c.get("finished").asBoolean()) {
                                return mine;
                            }
                            continue; // the rest is running on other threads: ask again
                        }
                        JsonNode t = c.get("trial");
                        if (!trialIds.add(t.get("trial_id").asText()) | !runIds.add(t.get("run_id").asText())) {
                            duplicates.add(t.toString());
                        }
                        double x = t.at("/params/x").asDouble();
                        post("finish", Map.of("trial_id", t.get("trial_id").asText(), "agent_id", agent,
                                "state", "COMPLETE", "value", x * x)).ok();
                        mine++;
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : agents) {
                total += f.get();
            }
            assertEquals(64, total);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(duplicates.isEmpty(), "trials handed out twice: " + duplicates);
        JsonNode got = get("get", "sweep_id=" + id).ok();
        assertEquals("FINISHED", got.at("/sweep/state").asText());
        Set<Integer> numbers = new HashSet<>();
        for (JsonNode t : got.get("trials")) {
            assertEquals("COMPLETE", t.get("state").asText());
            numbers.add(t.get("number").asInt());
            JsonNode run = server.http().run(t.get("run_id").asText());
            assertEquals(sweep.get("parent_run_id").asText(), tag(run, "mlflow.parentRunId"));
            assertEquals(id, tag(run, "labbook.sweep.id"));
            assertEquals("FINISHED", run.at("/info/status").asText());
        }
        assertEquals(64, numbers.size());
        assertTrue(got.at("/sweep/best_value").asDouble() < 0.05, "TPE found x near 0: " + got.at("/sweep/best_value"));
    }

    @Test
    void aTrialWhoseAgentStopsHeartbeatingIsFailedAndQueuedAgain() {
        String id = create("""
                method: grid
                lease_seconds: 1
                max_retries: 1
                parameters: {x: {values: [1, 2]}}
                """).get("sweep_id").asText();
        JsonNode lost = post("claim", Map.of("sweep_id", id, "agent_id", "dies")).ok().get("trial");
        JsonNode other = post("claim", Map.of("sweep_id", id, "agent_id", "lives")).ok().get("trial");
        post("finish", Map.of("trial_id", other.get("trial_id").asText(), "state", "COMPLETE", "value", 1)).ok();
        // wait for the condition: after the lease (1 s) a claim fails the silent trial and gets its retry
        JsonNode retry = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (retry == null && System.nanoTime() < deadline) {
            JsonNode c = post("claim", Map.of("sweep_id", id, "agent_id", "lives")).ok();
            assertFalse(c.get("finished").asBoolean(), "the sweep cannot be over while a trial is owed");
            retry = c.get("trial");
        }
        assertTrue(retry != null, "no retry within 30 s");
        assertEquals(lost.get("params"), retry.get("params"));
        assertEquals(lost.get("trial_id").asText(), retry.get("retry_of").asText());
        assertEquals(1, retry.get("attempt").asInt());
        JsonNode beat = post("heartbeat", Map.of("trial_id", lost.get("trial_id").asText(), "agent_id", "dies")).ok();
        assertTrue(beat.get("lease_lost").asBoolean());
        assertEquals("FAILED", server.http().run(lost.get("run_id").asText()).at("/info/status").asText());
        assertFalse(post("heartbeat", Map.of("trial_id", retry.get("trial_id").asText(), "agent_id", "lives")).ok()
                .get("lease_lost").asBoolean());
        post("finish", Map.of("trial_id", retry.get("trial_id").asText(), "agent_id", "lives", "state", "COMPLETE", "value", 2)).ok();
        assertTrue(post("claim", Map.of("sweep_id", id, "agent_id", "lives")).ok().get("finished").asBoolean());
    }

    @Test
    void errorsAreMlflowJson() {
        String m = post("create", Map.of("config", "method: grid\nparameters: {x: {min: 0.0, max: 1.0}}"))
                .error(400, "INVALID_PARAMETER_VALUE");
        assertEquals("sweep config: parameters.x: method grid needs value, values, int_uniform or q_uniform, not uniform", m);
        post("create", Map.of()).error(400, "INVALID_PARAMETER_VALUE");
        server.http().send("POST", SWEEPS + "create", "{not json").error(400, "MALFORMED_REQUEST");
        get("get", "sweep_id=nope").error(404, "RESOURCE_DOES_NOT_EXIST");
        get("values", "sweep_id=nope").error(404, "RESOURCE_DOES_NOT_EXIST");
        get("importance", "sweep_id=nope").error(404, "RESOURCE_DOES_NOT_EXIST");
        get("values", "").error(400, "INVALID_PARAMETER_VALUE");
        post("claim", Map.of("sweep_id", "nope")).error(404, "RESOURCE_DOES_NOT_EXIST");
        post("finish", Map.of("trial_id", "nope", "state", "DONE")).error(400, "INVALID_PARAMETER_VALUE");
        post("report", Map.of("trial_id", "nope", "step", 1, "value", 1.0)).error(404, "RESOURCE_DOES_NOT_EXIST");
        server.http().send("POST", SWEEPS + "nope", "{}").error(404, "ENDPOINT_NOT_FOUND");
        // the config may also be a JSON object; list finds the sweep in its experiment
        JsonNode s = post("create", Map.of("config", Map.of("method", "random", "parameters", Map.of("x", Map.of("value", 1))),
                "experiment_id", "0")).ok().get("sweep");
        boolean listed = false;
        for (JsonNode n : get("list", "experiment_id=0").ok().get("sweeps")) {
            listed |= n.get("sweep_id").equals(s.get("sweep_id"));
        }
        assertTrue(listed);
        assertEquals("STOPPED", post("stop", Map.of("sweep_id", s.get("sweep_id").asText())).ok().at("/sweep/state").asText());
    }

    private static String tag(JsonNode run, String key) {
        for (JsonNode t : run.at("/data/tags")) {
            if (t.get("key").asText().equals(key)) {
                return t.get("value").asText();
            }
        }
        return null;
    }

    /** The dashboard's views: every trial's reports by step, and which parameter the metric depends on. */
    @Test
    void valuesAndImportanceOfASweep() {
        String id = create("""
                name: insights
                method: random
                seed: 2
                metric: {name: y, goal: minimize}
                parameters:
                  x: {min: 0.0, max: 1.0}
                  idle: {min: 0.0, max: 1.0}
                  kind:
                    values:
                      - value: deep
                        parameters: {depth: {min: 1, max: 8}}
                      - flat
                run_cap: 30
                """).get("sweep_id").asText();
        for (int i = 0; i < 30; i++) {
            JsonNode t = post("claim", Map.of("sweep_id", id, "agent_id", "a")).ok().get("trial");
            String trial = t.get("trial_id").asText();
            double x = t.at("/params/x").asDouble();
            assertEquals(t.at("/params/kind").asText().equals("deep"), t.at("/params").has("depth"), t.toString());
            post("report", Map.of("trial_id", trial, "agent_id", "a", "step", 1, "value", 2 * x)).ok();
            post("report", Map.of("trial_id", trial, "agent_id", "a", "step", 2, "value", x)).ok();
            post("finish", Map.of("trial_id", trial, "agent_id", "a", "state", "COMPLETE", "value", x)).ok();
        }
        JsonNode values = get("values", "sweep_id=" + id).ok().get("trials");
        assertEquals(30, values.size());
        assertEquals(0, values.get(0).get("number").asInt());
        assertEquals("COMPLETE", values.get(0).get("state").asText());
        assertEquals(List.of(1L, 2L), List.of(values.get(0).at("/values/0/step").asLong(), values.get(0).at("/values/1/step").asLong()));
        JsonNode imp = get("importance", "sweep_id=" + id).ok();
        assertEquals(30, imp.get("trials").asInt());
        assertTrue(imp.get("method").asText().startsWith("Permutation importance"), imp.toString());
        assertEquals(4, imp.get("importances").size(), "x, idle, kind, depth: " + imp);
        assertEquals("x", imp.at("/importances/0/param").asText(), imp.toString());
        assertTrue(imp.at("/importances/0/importance").asDouble() > 0.8, imp.toString());
    }
}
