package dev.labbook.server.auth;

/**
 * Who a request is from.
 *
 * @param readOnly true for a read-only token: every write is refused whatever the permissions
 * @param via how the request proved it: {@code basic}, {@code token} or {@code session}
 * @param csrfToken the session's CSRF token (sessions only): cookie-authenticated writes must echo it
 */
public record Principal(long userId, String username, boolean admin, boolean readOnly, String via, String csrfToken) {}
