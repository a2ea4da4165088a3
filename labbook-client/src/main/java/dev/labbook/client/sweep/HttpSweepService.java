package dev.labbook.client.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.internal.Http;
import dev.labbook.client.internal.Wire;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.sweep.Claim;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepService;
import dev.labbook.sweep.SweepState;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.Verdict;
import dev.labbook.sweep.prune.TrialHistory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sweeps on a tracking server, through {@code /api/2.0/labbook/sweeps/*}. Thread-safe. */
public final class HttpSweepService implements SweepService {
    private static final String PREFIX = "api/2.0/labbook/sweeps/";
    private final Http http;

    public HttpSweepService(String uri) {
        this.http = new Http(URI.create(uri), Duration.ofSeconds(60));
    }

    @Override
    public Sweep createSweep(String configText, String experimentId) {
        Map<String, Object> body = new HashMap<>();
        body.put("config", configText);
        if (experimentId != null) {
            body.put("experiment_id", experimentId);
        }
        return sweep(post("create", body).get("sweep"));
    }

    @Override
    public Sweep getSweep(String sweepId) {
        return sweep(get("get", Map.of("sweep_id", sweepId)).get("sweep"));
    }

    @Override
    public List<Sweep> listSweeps(String experimentId) {
        List<Sweep> out = new ArrayList<>();
        get("list", experimentId == null ? Map.of() : Map.of("experiment_id", experimentId)).path("sweeps")
                .forEach(n -> out.add(sweep(n)));
        return out;
    }

    @Override
    public List<Trial> listTrials(String sweepId) {
        List<Trial> out = new ArrayList<>();
        get("get", Map.of("sweep_id", sweepId)).path("trials").forEach(n -> out.add(read(n, Trial.class)));
        return out;
    }

    @Override
    public List<TrialHistory> intermediateValues(String sweepId) {
        List<TrialHistory> out = new ArrayList<>();
        get("values", Map.of("sweep_id", sweepId)).path("trials").forEach(t -> {
            java.util.TreeMap<Long, Double> values = new java.util.TreeMap<>();
            t.path("values").forEach(v -> values.put(v.path("step").asLong(), v.path("value").asDouble()));
            out.add(new TrialHistory(t.path("number").asInt(), TrialState.valueOf(t.path("state").asText()), values));
        });
        return out;
    }

    @Override
    public Claim claim(String sweepId, String agentId) {
        JsonNode n = post("claim", Map.of("sweep_id", sweepId, "agent_id", agentId));
        return new Claim(n.hasNonNull("trial") ? read(n.get("trial"), Trial.class) : null, n.path("finished").asBoolean());
    }

    @Override
    public Verdict heartbeat(String trialId, String agentId) {
        return verdict(post("heartbeat", Map.of("trial_id", trialId, "agent_id", agentId)));
    }

    @Override
    public Verdict report(String trialId, String agentId, long step, double value) {
        return verdict(post("report", Map.of("trial_id", trialId, "agent_id", agentId, "step", step, "value", value)));
    }

    @Override
    public Trial finishTrial(String trialId, String agentId, TrialState state, Double value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trial_id", trialId);
        body.put("agent_id", agentId);
        body.put("state", state.name());
        if (value != null) {
            body.put("value", value);
        }
        return read(post("finish", body).get("trial"), Trial.class);
    }

    @Override
    public Sweep stopSweep(String sweepId) {
        return sweep(post("stop", Map.of("sweep_id", sweepId)).get("sweep"));
    }

    private static Verdict verdict(JsonNode n) {
        return new Verdict(n.path("prune").asBoolean(), n.path("lease_lost").asBoolean());
    }

    private static Sweep sweep(JsonNode n) {
        return new Sweep(n.path("sweep_id").asText(), n.path("experiment_id").asText(), n.path("parent_run_id").asText(),
                n.path("name").asText(null), SweepState.valueOf(n.path("state").asText()), n.path("config").toString(),
                n.path("creation_time").asLong(), n.path("last_update_time").asLong(), n.path("best_trial_id").asText(null),
                n.hasNonNull("best_value") ? n.get("best_value").asDouble() : null);
    }

    private JsonNode post(String endpoint, Object body) {
        try {
            return json(http.send(http.request(PREFIX + endpoint).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.JSON.writeValueAsBytes(body))).build()));
        } catch (JsonProcessingException e) {
            throw new LabbookException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot encode request: " + e.getMessage(), e);
        }
    }

    private JsonNode get(String endpoint, Map<String, ?> query) {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? '?' : '&').append(k).append('=')
                .append(java.net.URLEncoder.encode(String.valueOf(v), java.nio.charset.StandardCharsets.UTF_8)));
        return json(http.send(http.request(PREFIX + endpoint + q).GET().build()));
    }

    private static JsonNode json(java.io.InputStream in) {
        try (in) {
            return Wire.JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Unreadable answer: " + e.getMessage(), e);
        }
    }

    private static <T> T read(JsonNode n, Class<T> type) {
        try {
            return Wire.JSON.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw new LabbookException(ErrorCode.INTERNAL_ERROR, "Unexpected answer: " + e.getMessage(), e);
        }
    }
}
