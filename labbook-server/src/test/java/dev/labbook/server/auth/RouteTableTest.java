package dev.labbook.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.server.auth.AuthServer.Client;
import dev.labbook.server.auth.AuthServer.Response;
import dev.labbook.store.auth.Permission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route the server registers (Javalin's own list) is classified in {@link RouteRules},
 * and each behaves as its class says on a real server with real data: without credentials 401
 * (with WWW-Authenticate) except the open routes; for a user who may only read, every write 403;
 * for a user with NO_PERMISSIONS on the experiment and model, every read of them 403 and every
 * search silent about them. A route added without a rule fails the first test; one added without
 * a sample request here fails the others.
 */
class RouteTableTest {
    private static final String API = "/api/2.0/mlflow/";
    private static AuthServer server;
    private static Fixture f;
    private static Client reader;
    private static Client readOnlyToken;
    private static Client outsider;

    /** What the sample requests act on, all created by the admin. */
    record Fixture(String experiment, String run, String model, String loggedModel, String trace, String sweep, String trial) {}

    @BeforeAll
    static void start() {
        server = new AuthServer(AuthServer.config(Permission.READ));
        Client admin = server.admin();
        String exp = admin.post(API + "experiments/create", Map.of("name", "route-table")).ok().get("experiment_id").asText();
        String run = admin.post(API + "runs/create", Map.of("experiment_id", exp)).ok().get("run").get("info").get("run_id").asText();
        admin.post(API + "runs/log-metric", Map.of("run_id", run, "key", "loss", "value", 0.5, "timestamp", 1000)).ok();
        admin.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/x.txt", "hello").ok();
        admin.post(API + "registered-models/create", Map.of("name", "m1")).ok();
        admin.post(API + "model-versions/create", Map.of("name", "m1", "source", "mlflow-artifacts:/" + exp + "/" + run
                + "/artifacts/model", "run_id", run)).ok();
        String logged = admin.post(API + "logged-models", Map.of("experiment_id", exp, "name", "lm")).ok()
                .get("model").get("info").get("model_id").asText();
        String trace = admin.post(API + "traces", Map.of("experiment_id", exp, "timestamp_ms", 1000)).ok()
                .get("trace_info").get("request_id").asText();
        String config = "{\"method\": \"grid\", \"metric\": {\"name\": \"loss\", \"goal\": \"minimize\"},"
                + " \"parameters\": {\"x\": {\"values\": [1, 2, 3]}}}";
        String sweep = admin.post("/api/2.0/labbook/sweeps/create", Map.of("experiment_id", exp, "config", config)).ok()
                .get("sweep").get("sweep_id").asText();
        String trial = admin.post("/api/2.0/labbook/sweeps/claim", Map.of("sweep_id", sweep, "agent_id", "a")).ok()
                .get("trial").get("trial_id").asText();
        f = new Fixture(exp, run, "m1", logged, trace, sweep, trial);
        reader = server.user("reader");
        readOnlyToken = server.bearer(server.user("tokenholder")
                .post(RouteRules.AUTH + "tokens/create", Map.of("name", "ro", "read_only", true)).ok().get("token").asText());
        outsider = server.user("outsider");
        admin.post(API + "experiments/permissions/create", Map.of("experiment_id", exp, "username", "outsider",
                "permission", "NO_PERMISSIONS")).ok();
        admin.post(API + "registered-models/permissions/create", Map.of("name", "m1", "username", "outsider",
                "permission", "NO_PERMISSIONS")).ok();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RouteRules rules() {
        return server.server.auth().rules();
    }

    @Test
    void everyRegisteredRouteIsClassifiedAndEveryRuleIsARoute() {
        List<String> routes = server.server.routes();
        assertTrue(routes.size() > 150, "the route list looks incomplete: " + routes.size());
        List<String> unclassified = new ArrayList<>();
        for (String route : routes) {
            String[] mp = route.split(" ", 2);
            if (rules().rule(mp[0], mp[1]) == null) {
                unclassified.add(route);
            }
        }
        assertEquals(List.of(), unclassified, "routes without a rule in RouteRules");
        List<String> normalized = routes.stream().map(r -> {
            String[] mp = r.split(" ", 2);
            return mp[0] + " " + RouteRules.normalize(mp[1]);
        }).toList();
        List<String> stale = rules().all().keySet().stream().filter(k -> !normalized.contains(k)).toList();
        assertEquals(List.of(), stale, "rules for routes the server does not register");
    }

    @Test
    void withoutCredentialsEverythingButTheOpenRoutesIs401() {
        List<String> wrong = new ArrayList<>();
        for (String route : server.server.routes()) {
            Rule rule = rule(route);
            Response r = send(server.anonymous(), route);
            if (rule.kind() == Rule.Kind.OPEN) {
                if (r.status() == 401) {
                    wrong.add(route + " is open but answered 401");
                }
            } else if (r.status() != 401 || !"UNAUTHENTICATED".equals(errorCode(route, r))
                    || !"Basic realm=\"mlflow\"".equals(r.header("WWW-Authenticate"))) {
                wrong.add(route + " answered " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aReadOnlyUserGets403OnEveryWrite() {
        List<String> wrong = new ArrayList<>();
        for (String route : server.server.routes()) {
            Rule rule = rule(route);
            if (!rule.write()) {
                continue;
            }
            // a read-only token is refused every write, creations included
            Response t = send(readOnlyToken, route);
            if (t.status() != 403 || !"PERMISSION_DENIED".equals(errorCode(route, t))) {
                wrong.add("read-only token: " + route + " answered " + t.status() + " " + t.body());
            }
            // a READ user is refused every write to what they only read (creating is any user's right)
            if (rule.kind() != Rule.Kind.USER) {
                Response r = send(reader, route);
                if (r.status() != 403 || !"PERMISSION_DENIED".equals(errorCode(route, r))) {
                    wrong.add("READ user: " + route + " answered " + r.status() + " " + r.body());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aReadUserReadsWhatTheyMay() {
        List<String> wrong = new ArrayList<>();
        for (String route : server.server.routes()) {
            Rule rule = rule(route);
            if (rule.write() || rule.kind() != Rule.Kind.RESOURCE || rule.action() != Permission.Action.READ
                    || route.endsWith("runs/stream")) {
                continue; // (the live stream would not end: its 403 for outsiders is checked below)
            }
            Response r = send(reader, route);
            if (r.status() == 401 || r.status() == 403) {
                wrong.add(route + " answered " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void noPermissionsReadsNothingOfTheExperimentOrModel() {
        List<String> wrong = new ArrayList<>();
        for (String route : server.server.routes()) {
            Rule rule = rule(route);
            if (rule.kind() != Rule.Kind.RESOURCE || rule.write()) {
                continue;
            }
            Response r = send(outsider, route);
            if (r.status() != 403 || !"PERMISSION_DENIED".equals(errorCode(route, r))) {
                wrong.add(route + " answered " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), wrong);
        // searches answer as if the experiment and model did not exist
        assertEquals(0, outsider.post(API + "runs/search", Map.of("experiment_ids", List.of(f.experiment()))).ok().path("runs").size());
        assertFalse(outsider.post(API + "experiments/search", Map.of()).ok().toString().contains("route-table"));
        assertFalse(outsider.get("/api/2.0/labbook/experiments/activity").ok().toString().contains("\"" + f.experiment() + "\""));
        assertEquals(0, outsider.get("/api/2.0/labbook/sweeps/list").ok().path("sweeps").size());
        assertEquals(0, outsider.get(API + "registered-models/search").ok().path("registered_models").size());
        assertEquals(0, outsider.get(API + "model-versions/search").ok().path("model_versions").size());
        // while the READ user sees them
        assertEquals(server.admin().post(API + "runs/search", Map.of("experiment_ids", List.of(f.experiment()))).ok().path("runs").size(),
                reader.post(API + "runs/search", Map.of("experiment_ids", List.of(f.experiment()))).ok().path("runs").size());
        assertEquals(1, reader.get("/api/2.0/labbook/sweeps/list").ok().path("sweeps").size());
        assertEquals(1, reader.get(API + "registered-models/search").ok().path("registered_models").size());
    }

    /** The answer's error code; a HEAD answer has no body, so its status alone tells. */
    private static String errorCode(String route, Response r) {
        if (route.startsWith("HEAD ")) {
            return r.status() == 401 ? "UNAUTHENTICATED" : r.status() == 403 ? "PERMISSION_DENIED" : "";
        }
        return r.errorCode();
    }

    // ---------------------------------------------------------------- sample requests

    private static Rule rule(String route) {
        String[] mp = route.split(" ", 2);
        Rule r = rules().rule(mp[0], mp[1]);
        if (r == null) {
            throw new AssertionError("unclassified route " + route);
        }
        return r;
    }

    /** A request to {@code route} that names the fixture's resources wherever the route takes one. */
    private static Response send(Client client, String route) {
        String[] mp = route.split(" ", 2);
        String method = mp[0];
        String artifact = f.experiment() + "/" + f.run() + "/artifacts/x.txt";
        String path = mp[1]
                .replace("{model_id}", f.loggedModel())
                .replace("{trace_id}", f.trace())
                .replace("{request_id}", f.trace())
                .replace("{tag_key}", "k")
                .replace("<path>", artifact)
                .replace("<section>", f.experiment())
                .replace("{id}", f.run())
                .replace("<name>", f.model());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("experiment_id", f.experiment());
        params.put("experiment_ids", List.of(f.experiment()));
        params.put("experiment_name", "route-table");
        params.put("run_id", f.run());
        params.put("run_ids", List.of(f.run()));
        params.put("name", f.model());
        params.put("new_name", f.model() + "-renamed");
        params.put("version", "1");
        params.put("trace_id", f.trace());
        params.put("trace_ids", List.of(f.trace()));
        params.put("request_ids", List.of(f.trace()));
        params.put("sweep_id", f.sweep());
        params.put("trial_id", f.trial());
        params.put("agent_id", "a");
        params.put("username", "admin");
        params.put("password", AuthServer.ADMIN_PASSWORD);
        params.put("permission", "READ");
        params.put("key", "k");
        params.put("value", "v");
        params.put("metric_key", "loss");
        params.put("path", f.experiment() + "/" + f.run() + "/artifacts");
        params.put("artifact_file_path", "x.txt");
        params.put("aggregate", "max");
        params.put("max_results", 10);
        if (path.contains("/3.0/mlflow/traces") && path.endsWith("/traces") && method.equals("POST")) {
            params.put("trace", Map.of("trace_info", Map.of("trace_location", Map.of("type", "MLFLOW_EXPERIMENT",
                    "mlflow_experiment", Map.of("experiment_id", f.experiment())))));
        }
        if (path.endsWith("traces/search")) {
            params.put("locations", List.of(Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment",
                    Map.of("experiment_id", f.experiment()))));
        }
        if (path.endsWith("/auth/login")) {
            return client.post(path, Map.of("username", "admin", "password", AuthServer.ADMIN_PASSWORD));
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            List<String> kv = new ArrayList<>();
            params.forEach((k, v) -> {
                if (v instanceof List<?> list) {
                    list.forEach(e -> {
                        kv.add(k);
                        kv.add(String.valueOf(e));
                    });
                } else if (!(v instanceof Map)) {
                    kv.add(k);
                    kv.add(String.valueOf(v));
                }
            });
            return client.send(method, path + Client.query(kv.toArray(String[]::new)), null);
        }
        if (method.equals("PUT")) {
            return client.send(method, path, "bytes");
        }
        return client.send(method, path, params);
    }

}
