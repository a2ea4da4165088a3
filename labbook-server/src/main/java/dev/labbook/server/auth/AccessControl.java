package dev.labbook.server.auth;

import dev.labbook.server.http.Visibility;
import dev.labbook.store.auth.AuthStore;
import dev.labbook.store.auth.Grant;
import dev.labbook.store.auth.Permission;
import java.util.function.LongSupplier;

/**
 * Permission checks with MLflow's meaning: admins pass everything; otherwise the highest of the
 * user's own and their teams' grants on the resource, or the default permission when they hold
 * none. Answers are cached per user and resource until the auth store's version changes.
 */
final class AccessControl {
    private record Key(long userId, Grant.Resource resource, String target) {}

    private final AuthStore store;
    private final ChangeWatch watch;
    private final Permission defaultPermission;
    private final LongSupplier clock;
    private final long ttlMillis;
    private final VersionedCache<Key, Permission> cache = new VersionedCache<>(200_000);

    AccessControl(AuthStore store, ChangeWatch watch, Permission defaultPermission, long ttlMillis, LongSupplier clock) {
        this.store = store;
        this.watch = watch;
        this.defaultPermission = defaultPermission;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    Permission permission(Principal p, Grant.Resource resource, String target) {
        if (p.admin()) {
            return Permission.MANAGE;
        }
        return cache.computeIfAbsent(new Key(p.userId(), resource, target), watch.current(), clock.getAsLong(), ttlMillis,
                () -> store.effectivePermission(resource, target, p.userId()).orElse(defaultPermission));
    }

    boolean allows(Principal p, Grant.Resource resource, String target, Permission.Action action) {
        if (p.readOnly() && action != Permission.Action.READ) {
            return false;
        }
        return permission(p, resource, target).allows(action);
    }

    /** What {@code p} may read, for searches. */
    Visibility visibility(Principal p) {
        if (p.admin()) {
            return Visibility.ALL;
        }
        return new Visibility() {
            @Override
            public boolean experiment(String experimentId) {
                return allows(p, Grant.Resource.EXPERIMENT, experimentId, Permission.Action.READ);
            }

            @Override
            public boolean registeredModel(String name) {
                return allows(p, Grant.Resource.REGISTERED_MODEL, name, Permission.Action.READ);
            }
        };
    }
}
