package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page tokens: an offset, base64-encoded so clients treat it as opaque. */
final class PageTokens {
    private PageTokens() {}

    static String encode(long offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset in {@code token}; 0 for a null or empty token. */
    static long decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("offset:")) {
                long v = Long.parseLong(s.substring(7));
                if (v >= 0) {
                    return v;
                }
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw LabbookException.invalid("Invalid page token '%s'", token);
    }
}
