package dev.labbook.store.auth;

/**
 * A personal access token's description (never its secret).
 *
 * @param expiresTime epoch millis, or null for a token that does not expire
 * @param revokedTime epoch millis, or null while the token is valid
 */
public record Token(String id, long userId, String username, String name, boolean readOnly, long createdTime,
        Long expiresTime, Long revokedTime) {

    /** True when the token may be used at {@code now}. */
    public boolean usableAt(long now) {
        return revokedTime == null && (expiresTime == null || expiresTime > now);
    }
}
