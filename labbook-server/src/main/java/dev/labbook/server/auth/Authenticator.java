package dev.labbook.server.auth;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.auth.AuthStore;
import dev.labbook.store.auth.Session;
import dev.labbook.store.auth.Token;
import dev.labbook.store.auth.User;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a request's credentials into a {@link Principal}: HTTP Basic (username and password),
 * {@code Authorization: Bearer} (a personal access token), or the dashboard's session cookie.
 * A successful check is cached under an HMAC of the credential (so neither the password nor the
 * token sits in memory as a key) until the auth store's version changes or the TTL ends; failures
 * are never cached and are throttled per user and per address.
 */
final class Authenticator {
    static final String SESSION_COOKIE = "labbook_session";
    /** Tokens read {@code lbk_<16 hex id>_<secret>}: the id finds the row, the secret is checked by hash. */
    static final String TOKEN_PREFIX = "lbk_";
    private static final int TOKEN_ID_CHARS = 16;

    private final AuthStore store;
    private final ChangeWatch watch;
    private final LoginThrottle throttle;
    private final LongSupplier clock;
    private final long ttlMillis;
    private final VersionedCache<String, Principal> cache = new VersionedCache<>(50_000);
    private final byte[] hmacKey = Secrets.random(32).getBytes(StandardCharsets.US_ASCII);

    Authenticator(AuthStore store, ChangeWatch watch, LoginThrottle throttle, long ttlMillis, LongSupplier clock) {
        this.store = store;
        this.watch = watch;
        this.throttle = throttle;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /** The request's principal; null when it carries no credentials; throws when they are wrong. */
    Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            return fromHeader(header.trim(), ctx.ip());
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && !cookie.isEmpty()) {
            return fromSession(cookie);
        }
        return null;
    }

    private Principal fromHeader(String header, String address) {
        long version = watch.current();
        long now = clock.getAsLong();
        String key = hmac(header);
        Principal cached = cache.get(key, version, now);
        if (cached != null) {
            return cached;
        }
        Principal p;
        long expiresAt = now + ttlMillis;
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw unauthenticated("Malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw unauthenticated("Malformed Basic credentials");
            }
            p = password(decoded.substring(0, colon), decoded.substring(colon + 1), address, "basic");
        } else if (scheme.equalsIgnoreCase("Bearer")) {
            Token t = token(value, address);
            if (t.expiresTime() != null) {
                expiresAt = Math.min(expiresAt, t.expiresTime());
            }
            User u = store.getUser(t.userId()).orElseThrow(() -> unauthenticated("Invalid or expired token"));
            p = new Principal(u.id(), u.username(), u.admin(), t.readOnly(), "token", null);
        } else {
            throw unauthenticated("Unsupported authorization scheme; use Basic or Bearer");
        }
        cache.put(key, p, version, expiresAt);
        return p;
    }

    /**
     * Checks a username and password (for Basic and the login page): throttled per user and per
     * address; the same Argon2 work whether or not the user exists.
     */
    Principal password(String username, String password, String address, String via) {
        checkThrottle("user:" + username);
        checkThrottle("addr:" + address);
        Optional<String> hash = store.passwordHash(username);
        boolean ok = Passwords.verify(password, hash.orElse(null));
        Optional<User> user = ok ? store.getUser(username) : Optional.empty();
        if (user.isEmpty()) {
            throttle.fail("user:" + username);
            throttle.fail("addr:" + address);
            throw unauthenticated("Incorrect username or password");
        }
        throttle.succeed("user:" + username);
        User u = user.get();
        return new Principal(u.id(), u.username(), u.admin(), false, via, null);
    }

    private Token token(String value, String address) {
        checkThrottle("addr:" + address);
        Token t = null;
        if (value.startsWith(TOKEN_PREFIX) && value.length() > TOKEN_PREFIX.length() + TOKEN_ID_CHARS + 1
                && value.charAt(TOKEN_PREFIX.length() + TOKEN_ID_CHARS) == '_') {
            String id = value.substring(TOKEN_PREFIX.length(), TOKEN_PREFIX.length() + TOKEN_ID_CHARS);
            String secret = value.substring(TOKEN_PREFIX.length() + TOKEN_ID_CHARS + 1);
            Optional<String> stored = store.tokenSecretHash(id);
            // hash and compare even for an unknown id, so timing does not tell ids apart
            boolean match = Secrets.equal(Secrets.sha256(secret), stored.orElse("0".repeat(64))) && stored.isPresent();
            if (match) {
                t = store.getToken(id).filter(x -> x.usableAt(clock.getAsLong())).orElse(null);
            }
        }
        if (t == null) {
            throttle.fail("addr:" + address);
            throw unauthenticated("Invalid or expired token");
        }
        return t;
    }

    private Principal fromSession(String cookie) {
        long version = watch.current();
        long now = clock.getAsLong();
        String idHash = Secrets.sha256(cookie);
        Principal cached = cache.get("s:" + idHash, version, now);
        if (cached != null) {
            return cached;
        }
        Session s = store.getSession(idHash).filter(x -> x.expiresTime() > now)
                .orElseThrow(() -> unauthenticated("Your session has ended; sign in again"));
        User u = store.getUser(s.userId()).orElseThrow(() -> unauthenticated("Your session has ended; sign in again"));
        Principal p = new Principal(u.id(), u.username(), u.admin(), false, "session", s.csrfToken());
        cache.put("s:" + idHash, p, version, Math.min(now + ttlMillis, s.expiresTime()));
        return p;
    }

    private void checkThrottle(String key) {
        long retry = throttle.retryAfterSeconds(key);
        if (retry > 0) {
            throw new TooManyAttempts(retry);
        }
    }

    private String hmac(String credential) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(credential.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static LabbookException unauthenticated(String message) {
        return new LabbookException(ErrorCode.UNAUTHENTICATED, message);
    }

    /** Too many failed sign-ins: 429 with Retry-After. */
    static final class TooManyAttempts extends LabbookException {
        final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super(ErrorCode.REQUEST_LIMIT_EXCEEDED, "Too many failed sign-in attempts; try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
