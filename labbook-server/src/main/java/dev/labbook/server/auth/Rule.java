package dev.labbook.server.auth;

import dev.labbook.store.auth.Grant;
import dev.labbook.store.auth.Permission.Action;
import java.util.List;

/**
 * How one route is guarded.
 *
 * @param write true when a read-only token may not use the route
 * @param resource for {@link Kind#RESOURCE}: what the targets name
 * @param action for {@link Kind#RESOURCE}: what the caller needs on every target
 * @param targets what the request acts on (experiment ids, model names, or for {@link Kind#SELF} usernames)
 */
record Rule(Kind kind, boolean write, Grant.Resource resource, Action action, Targets targets) {

    enum Kind {
        /** No credentials needed: health, version, the dashboard's pages, the login. */
        OPEN,
        /** Any signed-in user; a search whose handler filters the results by {@link dev.labbook.server.http.Visibility}. */
        USER,
        ADMIN,
        /** The user named by the request, or an admin. */
        SELF,
        /** The caller needs {@code action} on each target. */
        RESOURCE
    }

    /** Finds what a request acts on; an empty list leaves the check to the handler's own validation (it names nothing that exists). */
    @FunctionalInterface
    interface Targets {
        List<String> of(RequestView request, Owners owners);
    }

    /** A target no one but an admin passes: something (an artifact path) whose experiment cannot be told. */
    static final String ADMIN_ONLY = "\u0000admin-only";

    static Rule open() {
        return new Rule(Kind.OPEN, false, null, null, null);
    }

    static Rule user(boolean write) {
        return new Rule(Kind.USER, write, null, null, null);
    }

    static Rule admin(boolean write) {
        return new Rule(Kind.ADMIN, write, null, null, null);
    }

    static Rule self(boolean write, Targets usernames) {
        return new Rule(Kind.SELF, write, null, null, usernames);
    }

    static Rule experiment(Action action, Targets targets) {
        return new Rule(Kind.RESOURCE, action != Action.READ, Grant.Resource.EXPERIMENT, action, targets);
    }

    static Rule model(Action action, Targets targets) {
        return new Rule(Kind.RESOURCE, action != Action.READ, Grant.Resource.REGISTERED_MODEL, action, targets);
    }
}
