package dev.labbook.server.auth;

import dev.labbook.core.LabbookException;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.store.auth.AuthStore;
import dev.labbook.store.auth.Grant;
import dev.labbook.store.auth.JdbcAuthStore;
import dev.labbook.store.auth.Permission;
import dev.labbook.store.auth.ResourceOwners;
import dev.labbook.store.auth.User;
import dev.labbook.store.jdbc.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access control of one server: the auth store, the credential and permission checks with their
 * caches, the filter in front of every route and the auth endpoints. {@link #install} wires them
 * into Javalin; with access control off nothing is installed and every request passes.
 */
public final class AuthService {
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

    final AuthConfig config;
    final AuthStore store;
    final ChangeWatch watch;
    final Authenticator authenticator;
    final AccessControl access;
    final RouteRules rules = new RouteRules();
    private final Owners owners;
    private final AuthFilter filter;
    private final LongSupplier clock = System::currentTimeMillis;
    private final String generatedAdminPassword;

    public AuthService(AuthConfig config, Database database) {
        this.config = config;
        this.store = new JdbcAuthStore(database);
        this.watch = new ChangeWatch(store, config.versionPoll().toMillis(), clock);
        this.authenticator = new Authenticator(store, watch,
                new LoginThrottle(config.maxFailedLogins(), config.failedLoginWindow(), clock), config.cacheTtl().toMillis(), clock);
        this.access = new AccessControl(store, watch, config.defaultPermission(), config.cacheTtl().toMillis(), clock);
        this.owners = new Owners(new ResourceOwners(database));
        this.filter = new AuthFilter(rules, authenticator, access, owners);
        this.generatedAdminPassword = config.enabled() ? bootstrapAdmin() : null;
    }

    /**
     * Creates the admin on first start (no users yet): with the configured password, or a
     * generated one that {@link #generatedAdminPassword()} hands to the CLI to print once.
     */
    private String bootstrapAdmin() {
        if (!store.listUsers().isEmpty()) {
            return null;
        }
        String password = config.adminPassword();
        String generated = null;
        if (password == null) {
            generated = Secrets.random(18);
            password = generated;
        }
        store.createUser(config.adminUsername(), Passwords.hash(password), true);
        store.audit("labbook", "create_user", config.adminUsername(), "admin bootstrapped on first start");
        LOG.info("Created the admin user '{}'", config.adminUsername());
        return generated;
    }

    /** The admin's password when this start generated it (print it once); otherwise empty. */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The route table, for the test that every registered route is classified. */
    public RouteRules rules() {
        return rules;
    }

    /** The auth store (for in-process tools and tests). */
    public AuthStore store() {
        return store;
    }

    /** Installs the filter, the creator grants and the auth endpoints; nothing when access control is off. */
    public void install(RoutesConfig routes) {
        if (!config.enabled()) {
            // the dashboard asks who is signed in: nobody needs to be
            routes.get(RouteRules.AUTH + "me", ctx -> dev.labbook.server.http.Api.writeJson(ctx, 200,
                    java.util.Map.of("auth_enabled", false)));
            return;
        }
        routes.beforeMatched(filter::before);
        routes.afterMatched(new Aftermath(this)::after);
        new MlflowAuthRoutes(this).register(routes);
        new LabbookAuthRoutes(this).register(routes);
    }

    // ---------------------------------------------------------------- shared by the auth routes

    /** The signed-in caller of a request the filter let through. */
    static Principal caller(ApiRequest req) {
        Principal p = AuthFilter.principalOf(req.context());
        if (p == null) {
            throw Authenticator.unauthenticated("Authentication required");
        }
        return p;
    }

    static Principal caller(Context ctx) {
        Principal p = AuthFilter.principalOf(ctx);
        if (p == null) {
            throw Authenticator.unauthenticated("Authentication required");
        }
        return p;
    }

    Owners ownersForAftermath() {
        return owners;
    }

    /** After a change made here: this replica sees it at once (others within the poll interval). */
    void changed() {
        watch.refresh();
    }

    User requireUser(String username) {
        return store.getUser(username).orElseThrow(() -> LabbookException.notFound("User with username=%s not found", username));
    }

    /** Grants {@code permission} (creating or replacing the grant). */
    void grant(Grant.Resource resource, String target, String username, String team, Permission permission) {
        if (store.getGrant(resource, target, username, team).isPresent()) {
            store.updateGrant(resource, target, username, team, permission);
        } else {
            store.createGrant(resource, target, username, team, permission);
        }
        changed();
    }

    void audit(Principal actor, String action, String target, String detail) {
        store.audit(actor == null ? "anonymous" : actor.username(), action, target, detail);
    }
}
