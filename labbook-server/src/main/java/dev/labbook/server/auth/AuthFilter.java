package dev.labbook.server.auth;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.server.http.Visibility;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.List;

/**
 * The check in front of every matched route: who the caller is (401 without valid credentials,
 * with {@code WWW-Authenticate}), whether the rule of the route lets them (403), and for
 * cookie-authenticated writes the CSRF token. Static files match no route and pass; so do the
 * routes the table calls open.
 */
final class AuthFilter {
    /** The request attribute holding the {@link Principal}. */
    static final String PRINCIPAL = Principal.class.getName();
    /** The header the dashboard sends its session's CSRF token in. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * The dashboard's own requests say so with this header, and get no {@code WWW-Authenticate}
     * on a 401: a browser would answer that challenge with its native sign-in dialog.
     */
    static final String DASHBOARD_HEADER = "X-Labbook-Dashboard";

    private final RouteRules rules;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final Owners owners;

    AuthFilter(RouteRules rules, Authenticator authenticator, AccessControl access, Owners owners) {
        this.rules = rules;
        this.authenticator = authenticator;
        this.access = access;
        this.owners = owners;
    }

    /** The route pattern the request matched, or null (a static file, no route). */
    static String routeOf(Context ctx) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        return e == null ? null : e.path;
    }

    void before(Context ctx) {
        String route = routeOf(ctx);
        if (route == null || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        Rule rule = rules.rule(ctx.method().name(), route);
        if (rule != null && rule.kind() == Rule.Kind.OPEN) {
            // open routes need no credentials, but know a caller who sends good ones (the
            // dashboard's "who am I" asks before anyone has signed in)
            try {
                Principal known = authenticator.authenticate(ctx);
                if (known != null) {
                    ctx.attribute(PRINCIPAL, known);
                }
            } catch (LabbookException e) {
                // wrong or throttled credentials on an open route: answered as anonymous
            }
            return;
        }
        Principal p = principal(ctx);
        ctx.attribute(PRINCIPAL, p);
        Visibility.set(ctx, access.visibility(p));
        if ("session".equals(p.via()) && isWrite(ctx.method()) && !Secrets.equal(ctx.header(CSRF_HEADER), p.csrfToken())) {
            throw denied("Missing or invalid CSRF token: reload the page and try again");
        }
        if (rule == null) {
            // not classified: fail closed (RouteTableTest fails for such a route)
            if (!p.admin()) {
                throw denied("Permission denied: this endpoint is only for admins");
            }
            return;
        }
        if (rule.write() && p.readOnly()) {
            throw denied("Permission denied: the token is read-only");
        }
        switch (rule.kind()) {
            case USER -> { }
            case ADMIN -> {
                if (!p.admin()) {
                    throw denied("Permission denied: only admins may do this");
                }
            }
            case SELF -> {
                if (!p.admin()) {
                    RequestView view = new RequestView(ctx);
                    for (String username : rule.targets().of(view, owners)) {
                        if (!username.equals(p.username())) {
                            throw denied("Permission denied: only admins may do this for another user");
                        }
                    }
                }
            }
            case RESOURCE -> checkResources(ctx, rule, p);
            default -> throw new IllegalStateException(rule.kind().name());
        }
    }

    private void checkResources(Context ctx, Rule rule, Principal p) {
        if (p.admin()) {
            return;
        }
        List<String> targets = rule.targets().of(new RequestView(ctx), owners);
        for (String target : targets) {
            if (target.equals(Rule.ADMIN_ONLY) || !access.allows(p, rule.resource(), target, rule.action())) {
                throw denied("Permission denied: " + p.username() + " may not " + rule.action().name().toLowerCase()
                        + (rule.resource() == dev.labbook.store.auth.Grant.Resource.EXPERIMENT ? " experiment " : " registered model ")
                        + (target.equals(Rule.ADMIN_ONLY) ? "(unknown)" : target));
            }
        }
    }

    private Principal principal(Context ctx) {
        Principal p;
        try {
            p = authenticator.authenticate(ctx);
        } catch (Authenticator.TooManyAttempts e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            throw e;
        } catch (LabbookException e) {
            challenge(ctx);
            throw e;
        }
        if (p == null) {
            challenge(ctx);
            throw Authenticator.unauthenticated("Authentication required: send HTTP Basic credentials"
                    + " (MLFLOW_TRACKING_USERNAME/PASSWORD) or a token (Authorization: Bearer, MLFLOW_TRACKING_TOKEN)");
        }
        return p;
    }

    private static void challenge(Context ctx) {
        if (ctx.header(DASHBOARD_HEADER) == null) {
            ctx.header("WWW-Authenticate", "Basic realm=\"mlflow\"");
        }
    }

    static boolean isWrite(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    static LabbookException denied(String message) {
        return new LabbookException(ErrorCode.PERMISSION_DENIED, message);
    }

    /** The principal of a request the filter let through; null with access control off. */
    static Principal principalOf(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }
}
