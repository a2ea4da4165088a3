package dev.labbook.store.auth;

/** A dashboard session: its user, its CSRF token and when it ends. */
public record Session(long userId, String csrfToken, long createdTime, long expiresTime) {}
