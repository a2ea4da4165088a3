package dev.labbook.store.auth;

/** A user account; its password hash stays in the store (see {@link AuthStore#passwordHash}). */
public record User(long id, String username, boolean admin, long createdTime) {}
