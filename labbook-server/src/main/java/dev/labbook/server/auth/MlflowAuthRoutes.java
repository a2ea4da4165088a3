package dev.labbook.server.auth;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.auth.Grant;
import dev.labbook.store.auth.Grant.Resource;
import dev.labbook.store.auth.Permission;
import dev.labbook.store.auth.User;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow's basic-auth REST API, with the paths, methods, fields and answers its Python
 * {@code AuthServiceClient} uses: {@code users/*}, {@code experiments/permissions/*} and
 * {@code registered-models/permissions/*}. Who may call each is in {@link RouteRules}.
 */
final class MlflowAuthRoutes {
    private final AuthService auth;

    MlflowAuthRoutes(AuthService auth) {
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        new Api(routes)
                .post("users/create", this::createUser)
                .get("users/get", req -> Map.of("user", userJson(auth.requireUser(req.requiredString("username")))))
                .patch("users/update-password", this::updatePassword)
                .patch("users/update-admin", this::updateAdmin)
                .delete("users/delete", this::deleteUser)
                .post("experiments/permissions/create", req -> createGrant(req, Resource.EXPERIMENT))
                .get("experiments/permissions/get", req -> getGrant(req, Resource.EXPERIMENT))
                .patch("experiments/permissions/update", req -> updateGrant(req, Resource.EXPERIMENT))
                .delete("experiments/permissions/delete", req -> deleteGrant(req, Resource.EXPERIMENT))
                .post("registered-models/permissions/create", req -> createGrant(req, Resource.REGISTERED_MODEL))
                .get("registered-models/permissions/get", req -> getGrant(req, Resource.REGISTERED_MODEL))
                .patch("registered-models/permissions/update", req -> updateGrant(req, Resource.REGISTERED_MODEL))
                .delete("registered-models/permissions/delete", req -> deleteGrant(req, Resource.REGISTERED_MODEL));
    }

    private Object createUser(ApiRequest req) {
        String username = req.requiredString("username");
        String password = req.requiredString("password");
        boolean admin = req.boolOr("is_admin", false);
        User u = auth.store.createUser(username, Passwords.hash(password), admin);
        auth.changed();
        auth.audit(AuthService.caller(req), "create_user", username, admin ? "admin" : null);
        return Map.of("user", userJson(u));
    }

    private Object updatePassword(ApiRequest req) {
        String username = req.requiredString("username");
        String password = req.requiredString("password");
        auth.store.updatePassword(username, Passwords.hash(password));
        auth.changed();
        auth.audit(AuthService.caller(req), "update_password", username, null);
        return empty();
    }

    private Object updateAdmin(ApiRequest req) {
        String username = req.requiredString("username");
        if (!req.has("is_admin")) {
            throw ApiRequest.missing("is_admin");
        }
        boolean admin = req.boolOr("is_admin", false);
        auth.store.updateAdmin(username, admin);
        auth.changed();
        auth.audit(AuthService.caller(req), "update_admin", username, Boolean.toString(admin));
        return empty();
    }

    private Object deleteUser(ApiRequest req) {
        String username = req.requiredString("username");
        auth.store.deleteUser(username);
        auth.changed();
        auth.audit(AuthService.caller(req), "delete_user", username, null);
        return empty();
    }

    private static String key(Resource r) {
        return r == Resource.EXPERIMENT ? "experiment_id" : "name";
    }

    private static String answer(Resource r) {
        return r == Resource.EXPERIMENT ? "experiment_permission" : "registered_model_permission";
    }

    private Object createGrant(ApiRequest req, Resource r) {
        String target = req.requiredString(key(r));
        String username = req.requiredString("username");
        Permission permission = Permission.parse(req.requiredString("permission"));
        Grant g = auth.store.createGrant(r, target, username, null, permission);
        auth.changed();
        auth.audit(AuthService.caller(req), "create_permission", describe(r, target), username + "=" + permission);
        return Map.of(answer(r), grantJson(g));
    }

    private Object getGrant(ApiRequest req, Resource r) {
        String target = req.requiredString(key(r));
        String username = req.requiredString("username");
        Grant g = auth.store.getGrant(r, target, username, null).orElseThrow(() -> LabbookException.notFound(
                "%s permission with %s=%s and username=%s not found",
                r == Resource.EXPERIMENT ? "Experiment" : "Registered model", key(r), target, username));
        return Map.of(answer(r), grantJson(g));
    }

    private Object updateGrant(ApiRequest req, Resource r) {
        String target = req.requiredString(key(r));
        String username = req.requiredString("username");
        Permission permission = Permission.parse(req.requiredString("permission"));
        auth.store.updateGrant(r, target, username, null, permission);
        auth.changed();
        auth.audit(AuthService.caller(req), "update_permission", describe(r, target), username + "=" + permission);
        return empty();
    }

    private Object deleteGrant(ApiRequest req, Resource r) {
        String target = req.requiredString(key(r));
        String username = req.requiredString("username");
        auth.store.deleteGrant(r, target, username, null);
        auth.changed();
        auth.audit(AuthService.caller(req), "delete_permission", describe(r, target), username);
        return empty();
    }

    static String describe(Resource r, String target) {
        return (r == Resource.EXPERIMENT ? "experiment:" : "registered_model:") + target;
    }

    /** MLflow's User JSON (without the hash), with the user's own grants, as MLflow 3.x sends it. */
    Map<String, Object> userJson(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", u.id());
        out.put("username", u.username());
        out.put("is_admin", u.admin());
        out.put("experiment_permissions", grants(auth.store.grantsOf(Resource.EXPERIMENT, u.username())));
        out.put("registered_model_permissions", grants(auth.store.grantsOf(Resource.REGISTERED_MODEL, u.username())));
        // MLflow 3's client (User.from_json) reads this key unconditionally: without it get_user and
        // create_user raise KeyError. Labbook has no scorers, so the list is always empty.
        out.put("scorer_permissions", List.of());
        return out;
    }

    private static List<Map<String, Object>> grants(List<Grant> grants) {
        return grants.stream().map(MlflowAuthRoutes::grantJson).toList();
    }

    static Map<String, Object> grantJson(Grant g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(g.resource() == Resource.EXPERIMENT ? "experiment_id" : "name", g.target());
        if (g.userId() != null) {
            out.put("user_id", g.userId());
            out.put("username", g.username());
        } else {
            out.put("team", g.team());
        }
        out.put("permission", g.permission().name());
        return out;
    }
}
