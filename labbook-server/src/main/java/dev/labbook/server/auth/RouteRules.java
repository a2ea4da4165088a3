package dev.labbook.server.auth;

import static dev.labbook.server.auth.Find.artifactPath;
import static dev.labbook.server.auth.Find.artifactQuery;
import static dev.labbook.server.auth.Find.batchRun;
import static dev.labbook.server.auth.Find.experimentNamed;
import static dev.labbook.server.auth.Find.loggedModel;
import static dev.labbook.server.auth.Find.param;
import static dev.labbook.server.auth.Find.paramOr;
import static dev.labbook.server.auth.Find.params;
import static dev.labbook.server.auth.Find.run;
import static dev.labbook.server.auth.Find.runs;
import static dev.labbook.server.auth.Find.sweep;
import static dev.labbook.server.auth.Find.sweepExperiment;
import static dev.labbook.server.auth.Find.tracePath;
import static dev.labbook.server.auth.Find.traces;
import static dev.labbook.server.auth.Find.trial;
import static dev.labbook.server.auth.Rule.admin;
import static dev.labbook.server.auth.Rule.experiment;
import static dev.labbook.server.auth.Rule.model;
import static dev.labbook.server.auth.Rule.open;
import static dev.labbook.server.auth.Rule.self;
import static dev.labbook.server.auth.Rule.user;
import static dev.labbook.store.auth.Permission.Action.DELETE;
import static dev.labbook.store.auth.Permission.Action.MANAGE;
import static dev.labbook.store.auth.Permission.Action.READ;
import static dev.labbook.store.auth.Permission.Action.UPDATE;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guard of every route the server registers, by method and path pattern as registered (the
 * {@code /ajax-api/} twins of {@code /api/} routes share their rule). A route missing here is
 * refused to everyone but admins at run time, and fails RouteTableTest: every new route must be
 * classified in this one table.
 */
public final class RouteRules {
    private static final String MLFLOW = "/api/2.0/mlflow/";
    private static final String MLFLOW_V3 = "/api/3.0/mlflow/";
    private static final String LABBOOK = "/api/2.0/labbook/";
    /** Labbook's own auth endpoints (sign-in, tokens, teams, audit). */
    public static final String AUTH = "/api/labbook/auth/";

    private final Map<String, Rule> rules = new LinkedHashMap<>();

    RouteRules() {
        put("GET", "/health", open());
        put("GET", "/version", open());
        // request counts per route and pool figures are for operators: an admin (a read-only token will do) scrapes them
        put("GET", "/metrics", admin(false));
        // the dashboard's shareable addresses all answer its one page; the data comes from the API
        for (String page : new String[] {"/experiments/<section>", "/runs/{id}", "/compare", "/models", "/models/<name>",
            "/sweeps/{id}", "/login", "/admin"}) {
            put("GET", page, open());
        }
        experimentsRoutes();
        runsRoutes();
        artifactsRoutes();
        registryRoutes();
        tracesRoutes();
        loggedModelsRoutes();
        dashboardRoutes();
        sweepsRoutes();
        mlflowAuthRoutes();
        labbookAuthRoutes();
    }

    private void experimentsRoutes() {
        put("POST", MLFLOW + "experiments/create", user(true));
        put("GET", MLFLOW + "experiments/get", experiment(READ, param("experiment_id")));
        put("GET", MLFLOW + "experiments/get-by-name", experiment(READ, experimentNamed("experiment_name")));
        put("POST", MLFLOW + "experiments/search", user(false));
        put("GET", MLFLOW + "experiments/search", user(false));
        put("POST", MLFLOW + "experiments/update", experiment(UPDATE, param("experiment_id")));
        put("POST", MLFLOW + "experiments/delete", experiment(DELETE, param("experiment_id")));
        put("POST", MLFLOW + "experiments/restore", experiment(DELETE, param("experiment_id")));
        put("POST", MLFLOW + "experiments/set-experiment-tag", experiment(UPDATE, param("experiment_id")));
        put("POST", MLFLOW + "experiments/delete-experiment-tag", experiment(UPDATE, param("experiment_id")));
    }

    private void runsRoutes() {
        put("POST", MLFLOW + "runs/create", experiment(UPDATE, paramOr("experiment_id", "0")));
        put("GET", MLFLOW + "runs/get", experiment(READ, run("run_id", "run_uuid")));
        for (String write : new String[] {"runs/update", "runs/log-metric", "runs/log-parameter", "runs/set-tag",
            "runs/delete-tag", "runs/log-inputs", "runs/log-model", "runs/outputs"}) {
            put("POST", MLFLOW + write, experiment(UPDATE, run("run_id", "run_uuid")));
        }
        put("POST", MLFLOW + "runs/log-batch", experiment(UPDATE, batchRun()));
        put("POST", MLFLOW + "runs/delete", experiment(DELETE, run("run_id", "run_uuid")));
        put("POST", MLFLOW + "runs/restore", experiment(DELETE, run("run_id", "run_uuid")));
        // the handler searches only the listed experiments the caller may read
        put("POST", MLFLOW + "runs/search", user(false));
        put("GET", MLFLOW + "metrics/get-history", experiment(READ, run("run_id", "run_uuid")));
        put("GET", MLFLOW + "metrics/get-history-bulk-interval", experiment(READ, runs("run_ids")));
    }

    private void artifactsRoutes() {
        put("GET", MLFLOW + "artifacts/list", experiment(READ, run("run_id", "run_uuid")));
        put("GET", "/get-artifact", experiment(READ, run("run_id", "run_uuid")));
        String proxy = "/api/2.0/mlflow-artifacts/artifacts";
        put("GET", proxy, experiment(READ, artifactQuery("path")));
        put("GET", proxy + "/<path>", experiment(READ, artifactPath("path")));
        put("HEAD", proxy + "/<path>", experiment(READ, artifactPath("path")));
        put("PUT", proxy + "/<path>", experiment(UPDATE, artifactPath("path")));
        put("DELETE", proxy + "/<path>", experiment(DELETE, artifactPath("path")));
        for (String mpu : new String[] {"create", "complete", "abort"}) {
            put("POST", "/api/2.0/mlflow-artifacts/mpu/" + mpu + "/<path>", experiment(UPDATE, artifactPath("path")));
        }
    }

    private void registryRoutes() {
        put("POST", MLFLOW + "registered-models/create", user(true));
        put("GET", MLFLOW + "registered-models/get", model(READ, param("name")));
        put("POST", MLFLOW + "registered-models/rename", model(UPDATE, param("name")));
        put("PATCH", MLFLOW + "registered-models/update", model(UPDATE, param("name")));
        put("DELETE", MLFLOW + "registered-models/delete", model(DELETE, param("name")));
        put("GET", MLFLOW + "registered-models/search", user(false));
        put("POST", MLFLOW + "registered-models/set-tag", model(UPDATE, param("name")));
        put("DELETE", MLFLOW + "registered-models/delete-tag", model(UPDATE, param("name")));
        put("POST", MLFLOW + "registered-models/get-latest-versions", model(READ, param("name")));
        put("GET", MLFLOW + "registered-models/get-latest-versions", model(READ, param("name")));
        put("POST", MLFLOW + "registered-models/alias", model(UPDATE, param("name")));
        put("DELETE", MLFLOW + "registered-models/alias", model(UPDATE, param("name")));
        put("GET", MLFLOW + "registered-models/alias", model(READ, param("name")));
        put("POST", MLFLOW + "model-versions/create", model(UPDATE, param("name")));
        put("GET", MLFLOW + "model-versions/get", model(READ, param("name")));
        put("PATCH", MLFLOW + "model-versions/update", model(UPDATE, param("name")));
        put("DELETE", MLFLOW + "model-versions/delete", model(DELETE, param("name")));
        put("GET", MLFLOW + "model-versions/search", user(false));
        put("GET", MLFLOW + "model-versions/get-download-uri", model(READ, param("name")));
        put("POST", MLFLOW + "model-versions/set-tag", model(UPDATE, param("name")));
        put("DELETE", MLFLOW + "model-versions/delete-tag", model(UPDATE, param("name")));
        put("POST", MLFLOW + "model-versions/transition-stage", model(UPDATE, param("name")));
    }

    private void tracesRoutes() {
        // MLflow 2's generation
        put("POST", MLFLOW + "traces", experiment(UPDATE, param("experiment_id")));
        put("GET", MLFLOW + "traces", experiment(READ, params("experiment_ids", "experiment_id")));
        put("POST", MLFLOW + "traces/delete-traces", experiment(DELETE, param("experiment_id")));
        put("POST", MLFLOW + "traces/link-to-run", experiment(UPDATE, both(run("run_id", "run_uuid"), traces("trace_ids"))));
        put("PATCH", MLFLOW + "traces/{request_id}", experiment(UPDATE, tracePath()));
        put("GET", MLFLOW + "traces/{request_id}/info", experiment(READ, tracePath()));
        put("PATCH", MLFLOW + "traces/{request_id}/tags", experiment(UPDATE, tracePath()));
        put("DELETE", MLFLOW + "traces/{request_id}/tags", experiment(UPDATE, tracePath()));
        // MLflow 3's
        put("POST", MLFLOW_V3 + "traces", experiment(UPDATE, Find.v3TraceExperiment()));
        put("GET", MLFLOW_V3 + "traces/get", experiment(READ, traces("trace_id")));
        put("GET", MLFLOW_V3 + "traces/batchGet", experiment(READ, traces("trace_ids")));
        put("POST", MLFLOW_V3 + "traces/batchGetInfos", experiment(READ, traces("trace_ids")));
        put("POST", MLFLOW_V3 + "traces/search", experiment(READ, Find.v3SearchExperiments()));
        put("POST", MLFLOW_V3 + "traces/delete-traces", experiment(DELETE, param("experiment_id")));
        put("POST", MLFLOW_V3 + "traces/link-to-run", experiment(UPDATE, both(run("run_id", "run_uuid"), traces("trace_ids"))));
        put("GET", MLFLOW_V3 + "traces/{trace_id}", experiment(READ, tracePath()));
        put("PATCH", MLFLOW_V3 + "traces/{trace_id}/tags", experiment(UPDATE, tracePath()));
        put("DELETE", MLFLOW_V3 + "traces/{trace_id}/tags", experiment(UPDATE, tracePath()));
    }

    private void loggedModelsRoutes() {
        put("POST", MLFLOW + "logged-models", experiment(UPDATE, param("experiment_id")));
        put("POST", MLFLOW + "logged-models/search", experiment(READ, params("experiment_ids", "experiment_id")));
        put("GET", MLFLOW + "logged-models/{model_id}", experiment(READ, loggedModel()));
        put("PATCH", MLFLOW + "logged-models/{model_id}", experiment(UPDATE, loggedModel()));
        put("DELETE", MLFLOW + "logged-models/{model_id}", experiment(DELETE, loggedModel()));
        put("PATCH", MLFLOW + "logged-models/{model_id}/tags", experiment(UPDATE, loggedModel()));
        put("DELETE", MLFLOW + "logged-models/{model_id}/tags/{tag_key}", experiment(UPDATE, loggedModel()));
        put("POST", MLFLOW + "logged-models/{model_id}/params", experiment(UPDATE, loggedModel()));
        put("GET", MLFLOW + "logged-models/{model_id}/artifacts/directories", experiment(READ, loggedModel()));
        put("GET", MLFLOW + "logged-models/{model_id}/artifacts/files", experiment(READ, loggedModel()));
    }

    private void dashboardRoutes() {
        put("GET", LABBOOK + "experiments/activity", user(false));
        for (String method : new String[] {"GET", "POST"}) {
            put(method, LABBOOK + "runs/table", experiment(READ, params("experiment_ids", "experiment_id")));
            put(method, LABBOOK + "runs/metric-values", experiment(READ, params("experiment_ids", "experiment_id")));
        }
        put("GET", LABBOOK + "runs/stream", experiment(READ, run("run_id", "run_uuid")));
    }

    private void sweepsRoutes() {
        String s = LABBOOK + "sweeps/";
        put("POST", s + "create", experiment(UPDATE, sweepExperiment()));
        put("GET", s + "get", experiment(READ, sweep()));
        put("GET", s + "values", experiment(READ, sweep()));
        put("GET", s + "importance", experiment(READ, sweep()));
        // without an experiment the handler lists the sweeps of experiments the caller may read
        put("GET", s + "list", experiment(READ, param("experiment_id")));
        put("POST", s + "claim", experiment(UPDATE, sweep()));
        put("POST", s + "stop", experiment(UPDATE, sweep()));
        put("POST", s + "heartbeat", experiment(UPDATE, trial()));
        put("POST", s + "report", experiment(UPDATE, trial()));
        put("POST", s + "finish", experiment(UPDATE, trial()));
    }

    /** MLflow's basic-auth REST API, as its AuthServiceClient calls it. */
    private void mlflowAuthRoutes() {
        put("POST", MLFLOW + "users/create", admin(true));
        put("GET", MLFLOW + "users/get", self(false, param("username")));
        put("PATCH", MLFLOW + "users/update-password", self(true, param("username")));
        put("PATCH", MLFLOW + "users/update-admin", admin(true));
        put("DELETE", MLFLOW + "users/delete", admin(true));
        String[][] verbs = {{"POST", "create"}, {"GET", "get"}, {"PATCH", "update"}, {"DELETE", "delete"}};
        for (String[] v : verbs) {
            put(v[0], MLFLOW + "experiments/permissions/" + v[1], experiment(MANAGE, param("experiment_id")));
            put(v[0], MLFLOW + "registered-models/permissions/" + v[1], model(MANAGE, param("name")));
        }
    }

    private void labbookAuthRoutes() {
        put("POST", AUTH + "login", open());
        put("POST", AUTH + "logout", user(false));
        // open: answers {"user": null} to a caller who has not signed in
        put("GET", AUTH + "me", open());
        put("POST", AUTH + "tokens/create", user(true));
        put("GET", AUTH + "tokens/list", user(false));
        // a user revokes their own tokens (the handler checks whose it is); an admin anyone's
        put("POST", AUTH + "tokens/revoke", user(true));
        put("GET", AUTH + "users/list", admin(false));
        put("GET", AUTH + "teams/list", user(false));
        put("POST", AUTH + "teams/create", admin(true));
        put("POST", AUTH + "teams/delete", admin(true));
        put("POST", AUTH + "teams/add-member", admin(true));
        put("POST", AUTH + "teams/remove-member", admin(true));
        put("GET", AUTH + "audit", admin(false));
        // the Share panel: who holds what on one experiment or model, and grants to users or teams
        put("GET", AUTH + "experiments/grants", experiment(MANAGE, param("experiment_id")));
        put("POST", AUTH + "experiments/grants/set", experiment(MANAGE, param("experiment_id")));
        put("POST", AUTH + "experiments/grants/delete", experiment(MANAGE, param("experiment_id")));
        put("GET", AUTH + "registered-models/grants", model(MANAGE, param("name")));
        put("POST", AUTH + "registered-models/grants/set", model(MANAGE, param("name")));
        put("POST", AUTH + "registered-models/grants/delete", model(MANAGE, param("name")));
        // what the caller may do with one experiment or model (the dashboard hides what it may not)
        put("GET", AUTH + "permission", user(false));
    }

    private static Rule.Targets both(Rule.Targets a, Rule.Targets b) {
        return (r, o) -> {
            var out = new java.util.ArrayList<>(a.of(r, o));
            out.addAll(b.of(r, o));
            return out;
        };
    }

    private void put(String method, String path, Rule rule) {
        if (rules.put(method + " " + path, rule) != null) {
            throw new IllegalStateException("Route classified twice: " + method + " " + path);
        }
    }

    /** The rule of a registered route, or null when it is not classified. */
    Rule rule(String method, String path) {
        Rule r = rules.get(method + " " + normalize(path));
        if (r == null && method.equals("HEAD")) {
            r = rules.get("GET " + normalize(path));
        }
        return r;
    }

    /** The {@code /ajax-api/} prefix MLflow's web UI uses is the same API as {@code /api/}. */
    static String normalize(String path) {
        return path.startsWith("/ajax-api/") ? "/api/" + path.substring("/ajax-api/".length()) : path;
    }

    /** Every classified route, as {@code METHOD path}. */
    public Map<String, Rule> all() {
        return Collections.unmodifiableMap(rules);
    }
}
