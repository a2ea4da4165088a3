package dev.labbook.core.search;

import dev.labbook.core.LabbookException;

/**
 * The lexical layer under {@link FilterParser}: a cursor over the input with the scanning of
 * words, quoted strings and digits, and error messages that quote the input and the position.
 * Scanning happens on demand rather than as a token stream because what a character sequence
 * means depends on where the parser is (see {@link FilterParser}).
 */
class FilterScanner {
    private static final int MAX_SHOWN = 200;

    final String src;
    /** Names the input in messages: {@code filter} or {@code order_by}. */
    final String what;
    int pos;

    FilterScanner(String src, String what) {
        this.src = src;
        this.what = what;
    }

    /**
     * Reads a string in single, double or back quotes. The quote character is escaped by
     * doubling it or by a backslash; a backslash before any other character is kept as is, so
     * LIKE patterns and Windows paths survive. If backslash escapes leave the string
     * unterminated ({@code 'C:\'}), the backslash is taken literally instead.
     */
    final String quoted(String noun) {
        int start = pos;
        String s = quoted(true);
        if (s == null) {
            pos = start;
            s = quoted(false);
        }
        if (s == null) {
            char q = src.charAt(start);
            throw error(start, "unterminated %s: add the closing %s", noun, q);
        }
        return s;
    }

    /** The string at {@code pos}, or null (with {@code pos} undefined) if it never closes. */
    private String quoted(boolean backslashEscapes) {
        char q = src.charAt(pos++);
        StringBuilder sb = null;
        int segment = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            boolean doubled = c == q && pos + 1 < src.length() && src.charAt(pos + 1) == q;
            boolean escaped = backslashEscapes && c == '\\' && pos + 1 < src.length()
                    && (src.charAt(pos + 1) == q || src.charAt(pos + 1) == '\\');
            if (doubled || escaped) {
                sb = (sb == null ? new StringBuilder() : sb).append(src, segment, pos).append(src.charAt(pos + 1));
                pos += 2;
                segment = pos;
            } else if (c == q) {
                String s = sb == null ? src.substring(segment, pos) : sb.append(src, segment, pos).toString();
                pos++;
                return s;
            } else {
                pos++;
            }
        }
        return null;
    }

    final String word() {
        int start = pos;
        while (!atEnd() && isWordChar(peek())) {
            pos++;
        }
        return src.substring(start, pos);
    }

    final int skipDigits() {
        int start = pos;
        while (!atEnd() && peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos - start;
    }

    final void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    final boolean atEnd() {
        return pos >= src.length();
    }

    final char peek() {
        return src.charAt(pos);
    }

    /** Characters of prefixes, unprefixed attributes and keywords. */
    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Characters of an unquoted key name after its prefix; MLflow keys may also hold . - / : */
    static boolean isKeyChar(char c) {
        return isWordChar(c) || c == '.' || c == '-' || c == '/' || c == ':';
    }

    /** The unquoted token at {@code at}, for suggesting how to quote it. */
    final String bareToken(int at) {
        int end = at;
        while (end < src.length() && !Character.isWhitespace(src.charAt(end)) && end - at < 40) {
            end++;
        }
        return src.substring(at, end);
    }

    /** The text at {@code at} as a message fragment. */
    final String near(int at) {
        if (at >= src.length()) {
            return "the end of the " + what;
        }
        return "'" + bareToken(at) + "'";
    }

    final LabbookException error(int at, String format, Object... args) {
        String shown = src.length() <= MAX_SHOWN ? src : src.substring(0, MAX_SHOWN) + "...";
        // The filter text may contain '%' (LIKE patterns), so it must never become a format string.
        String message = String.format("Invalid %s \"%s\" at position %d: %s",
                what, shown, at + 1, String.format(format, args));
        return LabbookException.invalid("%s", message);
    }
}
