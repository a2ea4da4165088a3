package dev.labbook.store.auth;

import dev.labbook.core.LabbookException;
import java.util.Arrays;

/**
 * What a user may do with an experiment (and its runs, artifacts, logged models, traces and
 * sweeps) or a registered model, in MLflow's order: each level includes the ones below it.
 */
public enum Permission {
    NO_PERMISSIONS,
    READ,
    USE,
    EDIT,
    MANAGE;

    /** Parses a name as MLflow spells it; anything else is INVALID_PARAMETER_VALUE. */
    public static Permission parse(String name) {
        for (Permission p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw LabbookException.invalid("Invalid permission '%s'. Valid permissions are: %s", name,
                Arrays.toString(values()));
    }

    /** True when this level allows {@code action}. */
    public boolean allows(Action action) {
        return compareTo(action.least()) >= 0;
    }

    /** The higher of two levels. */
    public Permission max(Permission other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }

    /** The kinds of access a route needs, each with the least permission that allows it. */
    public enum Action {
        READ(Permission.READ),
        /** Writing into the resource: logging, tagging, renaming, uploading. */
        UPDATE(Permission.EDIT),
        DELETE(Permission.MANAGE),
        /** Granting others permissions on the resource. */
        MANAGE(Permission.MANAGE);

        private final Permission least;

        Action(Permission least) {
            this.least = least;
        }

        public Permission least() {
            return least;
        }
    }
}
