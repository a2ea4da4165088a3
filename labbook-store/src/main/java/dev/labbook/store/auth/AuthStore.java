package dev.labbook.store.auth;

import java.util.List;
import java.util.Optional;

/**
 * Users, teams, permissions, tokens, sessions and the audit log of access control. Hashing is the
 * caller's: the store keeps the hashes it is given. Every change bumps {@link #version()}, which
 * caches of credential and permission checks compare to know they are stale (on every replica).
 * Lookups of missing users, teams or grants return empty; changes to them throw
 * RESOURCE_DOES_NOT_EXIST, and creating what exists throws RESOURCE_ALREADY_EXISTS.
 */
public interface AuthStore {
    // ---------------------------------------------------------------- users

    User createUser(String username, String passwordHash, boolean admin);

    Optional<User> getUser(String username);

    Optional<User> getUser(long id);

    /** The stored hash of a user's password. */
    Optional<String> passwordHash(String username);

    List<User> listUsers();

    /** Changes the password and ends the user's sessions. */
    void updatePassword(String username, String passwordHash);

    void updateAdmin(String username, boolean admin);

    /** Deletes the user with their grants, memberships, tokens and sessions. */
    void deleteUser(String username);

    // ---------------------------------------------------------------- grants

    /** Creates a user's or a team's grant ({@code team} null for a user's). */
    Grant createGrant(Grant.Resource resource, String target, String username, String team, Permission permission);

    Optional<Grant> getGrant(Grant.Resource resource, String target, String username, String team);

    Grant updateGrant(Grant.Resource resource, String target, String username, String team, Permission permission);

    void deleteGrant(Grant.Resource resource, String target, String username, String team);

    /** Every grant on one resource (for the Share panel). */
    List<Grant> grantsOn(Grant.Resource resource, String target);

    /** A user's own grants of one kind. */
    List<Grant> grantsOf(Grant.Resource resource, String username);

    /**
     * The highest permission the user holds on the resource, their own or through a team; empty
     * when neither they nor their teams hold any (then the default permission applies).
     */
    Optional<Permission> effectivePermission(Grant.Resource resource, String target, long userId);

    /** Drops every grant on a resource (a deleted registered model). */
    void deleteGrantsOn(Grant.Resource resource, String target);

    /** Moves every grant of a renamed registered model to its new name. */
    void renameGrants(Grant.Resource resource, String from, String to);

    // ---------------------------------------------------------------- teams

    Team createTeam(String name);

    Optional<Team> getTeam(String name);

    List<Team> listTeams();

    void deleteTeam(String name);

    void addMember(String team, String username);

    void removeMember(String team, String username);

    // ---------------------------------------------------------------- tokens

    /** Stores a new token; {@code secretHash} is the hash of its secret part. */
    Token createToken(String id, long userId, String name, String secretHash, boolean readOnly, Long expiresTime);

    Optional<Token> getToken(String id);

    /** The stored hash of a token's secret. */
    Optional<String> tokenSecretHash(String id);

    /** A user's tokens (revoked ones too), newest first; every user's when {@code userId} is null. */
    List<Token> listTokens(Long userId);

    /** Marks a token revoked; false when it was already revoked or does not exist. */
    boolean revokeToken(String id);

    // ---------------------------------------------------------------- sessions

    void createSession(String idHash, long userId, String csrfToken, long expiresTime);

    Optional<Session> getSession(String idHash);

    void deleteSession(String idHash);

    // ---------------------------------------------------------------- audit

    void audit(String actor, String action, String target, String detail);

    /** The newest entries first, at most {@code limit}, older than {@code beforeId} when given. */
    List<AuditEvent> auditLog(int limit, Long beforeId);

    // ---------------------------------------------------------------- changes

    /** A number that grows with every change to users, grants, teams, tokens or sessions. */
    long version();
}
