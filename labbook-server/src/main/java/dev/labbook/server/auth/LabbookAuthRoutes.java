package dev.labbook.server.auth;

import static dev.labbook.server.http.Api.empty;

import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ApiHandler;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.auth.AuditEvent;
import dev.labbook.store.auth.Grant.Resource;
import dev.labbook.store.auth.Permission;
import dev.labbook.store.auth.Team;
import dev.labbook.store.auth.Token;
import dev.labbook.store.auth.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.security.SecureRandom;

/**
 * Labbook's own auth endpoints under {@value RouteRules#AUTH}: the dashboard's sign-in (a session
 * cookie, HttpOnly, SameSite=Strict, Secure over TLS, with a CSRF token for its writes), personal
 * access tokens, teams, team grants for the Share panel, the caller's permission on a resource,
 * and the audit log.
 */
final class LabbookAuthRoutes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AuthService auth;

    LabbookAuthRoutes(AuthService auth) {
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.post(RouteRules.AUTH + "login", this::login);
        routes.post(RouteRules.AUTH + "logout", this::logout);
        get(routes, "me", req -> {
            Principal p = AuthFilter.principalOf(req.context());
            if (p == null) {
                Map<String, Object> anonymous = new LinkedHashMap<>();
                anonymous.put("auth_enabled", true);
                anonymous.put("user", null);
                return anonymous;
            }
            return me(p);
        });
        post(routes, "tokens/create", this::createToken);
        get(routes, "tokens/list", this::listTokens);
        post(routes, "tokens/revoke", this::revokeToken);
        get(routes, "users/list", req -> Map.of("users", auth.store.listUsers().stream().map(LabbookAuthRoutes::user).toList()));
        get(routes, "teams/list", req -> Map.of("teams", auth.store.listTeams().stream().map(LabbookAuthRoutes::team).toList()));
        post(routes, "teams/create", req -> {
            Team t = auth.store.createTeam(req.requiredString("name"));
            changed(req, "create_team", t.name(), null);
            return Map.of("team", team(t));
        });
        post(routes, "teams/delete", req -> {
            String name = req.requiredString("name");
            auth.store.deleteTeam(name);
            changed(req, "delete_team", name, null);
            return empty();
        });
        post(routes, "teams/add-member", req -> {
            String name = req.requiredString("team");
            String username = req.requiredString("username");
            auth.store.addMember(name, username);
            changed(req, "add_team_member", name, username);
            return empty();
        });
        post(routes, "teams/remove-member", req -> {
            String name = req.requiredString("team");
            String username = req.requiredString("username");
            auth.store.removeMember(name, username);
            changed(req, "remove_team_member", name, username);
            return empty();
        });
        get(routes, "audit", this::audit);
        for (Resource r : Resource.values()) {
            String base = r == Resource.EXPERIMENT ? "experiments/grants" : "registered-models/grants";
            get(routes, base, req -> Map.of("grants", auth.store.grantsOn(r, target(req, r)).stream()
                    .map(MlflowAuthRoutes::grantJson).toList()));
            post(routes, base + "/set", req -> setGrant(req, r));
            post(routes, base + "/delete", req -> deleteGrant(req, r));
        }
        get(routes, "permission", this::permission);
    }

    // ---------------------------------------------------------------- sessions

    private void login(Context ctx) throws Exception {
        ApiRequest req = ApiRequest.of(ctx);
        String username = req.requiredString("username");
        String password = req.requiredString("password");
        Principal p;
        try {
            p = auth.authenticator.password(username, password, ctx.ip(), "session");
        } catch (Authenticator.TooManyAttempts e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            throw e;
        }
        String sessionId = Secrets.random(32);
        byte[] csrf = new byte[24];
        RANDOM.nextBytes(csrf);
        String csrfToken = HexFormat.of().formatHex(csrf);
        Duration ttl = auth.config.sessionTtl();
        auth.store.createSession(Secrets.sha256(sessionId), p.userId(), csrfToken, System.currentTimeMillis() + ttl.toMillis());
        Cookie cookie = new Cookie(Authenticator.SESSION_COOKIE, sessionId);
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.STRICT);
        cookie.setSecure(secure(ctx));
        cookie.setPath("/");
        cookie.setMaxAge((int) ttl.toSeconds());
        ctx.cookie(cookie);
        auth.audit(p, "login", p.username(), null);
        Map<String, Object> out = me(new Principal(p.userId(), p.username(), p.admin(), false, "session", csrfToken));
        Api.writeJson(ctx, 200, out);
    }

    /** Secure cookies when the request came over TLS (directly, or through a proxy that says so). */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private void logout(Context ctx) throws Exception {
        String cookie = ctx.cookie(Authenticator.SESSION_COOKIE);
        if (cookie != null) {
            auth.store.deleteSession(Secrets.sha256(cookie));
            auth.changed();
        }
        Cookie gone = new Cookie(Authenticator.SESSION_COOKIE, "");
        gone.setHttpOnly(true);
        gone.setSameSite(SameSite.STRICT);
        gone.setSecure(secure(ctx));
        gone.setPath("/");
        gone.setMaxAge(0);
        ctx.cookie(gone);
        Api.writeJson(ctx, 200, empty());
    }

    private Map<String, Object> me(Principal p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("auth_enabled", true);
        out.put("user", Map.of("username", p.username(), "is_admin", p.admin()));
        out.put("via", p.via());
        out.put("read_only", p.readOnly());
        if (p.csrfToken() != null) {
            out.put("csrf_token", p.csrfToken());
        }
        return out;
    }

    // ---------------------------------------------------------------- tokens

    private Object createToken(ApiRequest req) {
        Principal p = AuthService.caller(req);
        String name = req.requiredString("name");
        Long days = req.optLong("expires_in_days");
        if (days != null && (days < 1 || days > 3650)) {
            throw LabbookException.invalid("expires_in_days must be between 1 and 3650, got %d", days);
        }
        Long expires = days == null ? null : System.currentTimeMillis() + Duration.ofDays(days).toMillis();
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Secrets.random(32);
        Token t = auth.store.createToken(id, p.userId(), name, Secrets.sha256(secret), req.boolOr("read_only", false), expires);
        auth.changed();
        auth.audit(p, "create_token", id, name);
        Map<String, Object> out = new LinkedHashMap<>();
        // the only time the secret leaves the server: it is stored as a hash
        out.put("token", Authenticator.TOKEN_PREFIX + id + "_" + secret);
        out.put("token_info", token(t));
        return out;
    }

    private Object listTokens(ApiRequest req) {
        Principal p = AuthService.caller(req);
        boolean all = req.boolOr("all_users", false);
        if (all && !p.admin()) {
            throw AuthFilter.denied("Permission denied: only admins may list every user's tokens");
        }
        return Map.of("tokens", auth.store.listTokens(all ? null : p.userId()).stream().map(LabbookAuthRoutes::token).toList());
    }

    private Object revokeToken(ApiRequest req) {
        Principal p = AuthService.caller(req);
        String id = req.requiredString("token_id");
        Token t = auth.store.getToken(id).orElseThrow(() -> LabbookException.notFound("Token with id=%s not found", id));
        if (t.userId() != p.userId() && !p.admin()) {
            throw AuthFilter.denied("Permission denied: the token is another user's");
        }
        auth.store.revokeToken(id);
        auth.changed();
        auth.audit(p, "revoke_token", id, t.name());
        return empty();
    }

    // ---------------------------------------------------------------- grants, permissions, audit

    private static String target(ApiRequest req, Resource r) {
        return req.requiredString(r == Resource.EXPERIMENT ? "experiment_id" : "name");
    }

    private Object setGrant(ApiRequest req, Resource r) {
        String target = target(req, r);
        String username = req.string("username");
        String team = req.string("team");
        if ((username == null || username.isEmpty()) == (team == null || team.isEmpty())) {
            throw LabbookException.invalid("Give exactly one of 'username' and 'team'");
        }
        Permission permission = Permission.parse(req.requiredString("permission"));
        auth.grant(r, target, emptyToNull(username), emptyToNull(team), permission);
        auth.audit(AuthService.caller(req), "set_permission", MlflowAuthRoutes.describe(r, target),
                (team != null && !team.isEmpty() ? "team:" + team : username) + "=" + permission);
        return empty();
    }

    private Object deleteGrant(ApiRequest req, Resource r) {
        String target = target(req, r);
        String username = emptyToNull(req.string("username"));
        String team = emptyToNull(req.string("team"));
        if ((username == null) == (team == null)) {
            throw LabbookException.invalid("Give exactly one of 'username' and 'team'");
        }
        auth.store.deleteGrant(r, target, username, team);
        auth.changed();
        auth.audit(AuthService.caller(req), "delete_permission", MlflowAuthRoutes.describe(r, target),
                team != null ? "team:" + team : username);
        return empty();
    }

    /** The caller's permission on {@code experiment_id} or registered model {@code name}, with what it allows. */
    private Object permission(ApiRequest req) {
        Principal p = AuthService.caller(req);
        String experiment = emptyToNull(req.string("experiment_id"));
        Resource r = experiment != null ? Resource.EXPERIMENT : Resource.REGISTERED_MODEL;
        String target = experiment != null ? experiment : req.requiredString("name");
        Permission level = auth.access.permission(p, r, target);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("permission", level.name());
        for (Permission.Action a : Permission.Action.values()) {
            out.put("can_" + a.name().toLowerCase(), auth.access.allows(p, r, target, a));
        }
        return out;
    }

    private Object audit(ApiRequest req) {
        int max = Math.max(1, Math.min(req.intOr("max_results", 100), 1000));
        Long before = req.optLong("before_id");
        return Map.of("events", auth.store.auditLog(max, before).stream().map(LabbookAuthRoutes::event).toList());
    }

    private void changed(ApiRequest req, String action, String target, String detail) {
        auth.changed();
        auth.audit(AuthService.caller(req), action, target, detail);
    }

    // ---------------------------------------------------------------- JSON

    private static Map<String, Object> user(User u) {
        return Map.of("id", u.id(), "username", u.username(), "is_admin", u.admin(), "creation_time", u.createdTime());
    }

    private static Map<String, Object> team(Team t) {
        return Map.of("name", t.name(), "members", t.members(), "creation_time", t.createdTime());
    }

    private static Map<String, Object> token(Token t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("username", t.username());
        out.put("read_only", t.readOnly());
        out.put("creation_time", t.createdTime());
        if (t.expiresTime() != null) {
            out.put("expiry_time", t.expiresTime());
        }
        if (t.revokedTime() != null) {
            out.put("revoked_time", t.revokedTime());
        }
        out.put("active", t.usableAt(System.currentTimeMillis()));
        return out;
    }

    private static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("time", e.time());
        out.put("actor", e.actor());
        out.put("action", e.action());
        out.put("target", e.target());
        if (e.detail() != null) {
            out.put("detail", e.detail());
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void get(RoutesConfig routes, String endpoint, ApiHandler handler) {
        routes.get(RouteRules.AUTH + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
    }

    private static void post(RoutesConfig routes, String endpoint, ApiHandler handler) {
        routes.post(RouteRules.AUTH + endpoint, ctx -> Api.writeJson(ctx, 200, handler.handle(ApiRequest.of(ctx))));
    }
}
