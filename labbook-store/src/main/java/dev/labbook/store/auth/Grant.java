package dev.labbook.store.auth;

/**
 * One permission on one resource (an experiment id or a registered model's name) held by a user
 * or a team (exactly one of {@code username} and {@code team} is set).
 */
public record Grant(Resource resource, String target, Long userId, String username, String team, Permission permission) {
    /** The two kinds of resource that carry permissions. */
    public enum Resource { EXPERIMENT, REGISTERED_MODEL }
}
