package dev.labbook.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiHandler;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.Json;
import dev.labbook.sweep.Claim;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepService;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.Verdict;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/2.0/labbook/sweeps/*}: create, get, list, claim, heartbeat, report, finish, stop;
 * for the dashboard, values (the trials' intermediate values) and importance (the parameters').
 * Labbook's own endpoints beside MLflow's, with MLflow's conventions: GET reads the query string,
 * POST a JSON body, errors are {@code {"error_code","message"}}.
 */
public final class SweepRoutes {
    /** Where the endpoints live (also under /ajax-api/, as MLflow's are). */
    public static final String[] PREFIXES = {"/api/2.0/labbook/sweeps/", "/ajax-api/2.0/labbook/sweeps/"};

    private final SweepService sweeps;

    public SweepRoutes(SweepService sweeps) {
        this.sweeps = sweeps;
    }

    public void register(RoutesConfig routes) {
        post(routes, "create", this::create);
        get(routes, "get", req -> {
            String id = req.requiredString("sweep_id");
            return Map.of("sweep", view(sweeps.getSweep(id)), "trials", sweeps.listTrials(id));
        });
        get(routes, "values", req -> Map.of("trials", SweepInsights.values(sweeps.intermediateValues(req.requiredString("sweep_id")))));
        get(routes, "importance", req -> {
            String id = req.requiredString("sweep_id");
            return SweepInsights.importance(sweeps.getSweep(id), sweeps.listTrials(id));
        });
        get(routes, "list", req -> Map.of("sweeps", sweeps.listSweeps(req.string("experiment_id")).stream()
                .filter(s -> req.visibility().experiment(s.experimentId())).map(SweepRoutes::view).toList()));
        post(routes, "claim", this::claim);
        post(routes, "heartbeat", req -> verdict(sweeps.heartbeat(req.requiredString("trial_id"), req.string("agent_id"))));
        post(routes, "report", req -> verdict(sweeps.report(req.requiredString("trial_id"), req.string("agent_id"),
                req.requiredLong("step"), req.requiredDouble("value"))));
        post(routes, "finish", this::finish);
        post(routes, "stop", req -> Map.of("sweep", view(sweeps.stopSweep(req.requiredString("sweep_id")))));
    }

    private Object create(ApiRequest req) {
        JsonNode config;
        try {
            config = Json.MAPPER.readTree(req.bodyBytes()).get("config");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiRequest.malformed(e);
        } catch (java.io.IOException e) {
            throw ApiRequest.unreadable();
        }
        if (config == null || config.isNull() || (config.isTextual() && config.asText().isBlank())) {
            throw ApiRequest.missing("config");
        }
        String text = config.isTextual() ? config.asText() : config.toString();
        return Map.of("sweep", view(sweeps.createSweep(text, req.string("experiment_id"))));
    }

    private Object claim(ApiRequest req) {
        Claim c = sweeps.claim(req.requiredString("sweep_id"), req.string("agent_id"));
        Map<String, Object> out = new LinkedHashMap<>();
        if (c.trial() != null) {
            out.put("trial", c.trial());
        }
        out.put("finished", c.finished());
        return out;
    }

    private Object finish(ApiRequest req) {
        String state = req.requiredString("state");
        TrialState s;
        try {
            s = TrialState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw LabbookException.invalid("state must be one of COMPLETE, PRUNED, FAILED, not '%s'", state);
        }
        Double value = req.has("value") ? req.requiredDouble("value") : null;
        return Map.of("trial", sweeps.finishTrial(req.requiredString("trial_id"), req.string("agent_id"), s, value));
    }

    private static Map<String, Object> verdict(Verdict v) {
        return Map.of("prune", v.prune(), "lease_lost", v.leaseLost());
    }

    /** A sweep as sent: its configuration as a JSON object rather than text. */
    static Map<String, Object> view(Sweep s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sweep_id", s.sweepId());
        out.put("experiment_id", s.experimentId());
        out.put("parent_run_id", s.parentRunId());
        out.put("name", s.name());
        out.put("state", s.state());
        try {
            out.put("config", Json.MAPPER.readTree(s.config()));
        } catch (java.io.IOException e) {
            out.put("config", s.config());
        }
        out.put("creation_time", s.creationTime());
        out.put("last_update_time", s.lastUpdateTime());
        if (s.bestTrialId() != null) {
            out.put("best_trial_id", s.bestTrialId());
            out.put("best_value", s.bestValue());
        }
        return out;
    }

    private static void get(RoutesConfig routes, String endpoint, ApiHandler handler) {
        for (String prefix : PREFIXES) {
            routes.get(prefix + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
        }
    }

    private static void post(RoutesConfig routes, String endpoint, ApiHandler handler) {
        for (String prefix : PREFIXES) {
            routes.post(prefix + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
        }
    }
}
