package dev.labbook.store.artifact;

import dev.labbook.core.LabbookException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every artifact path must pass before it touches storage. A valid path is relative and
 * {@code /}-separated; each segment is a plain name: not empty, not {@code .} or {@code ..}, no
 * backslash, no control character (NUL included), at most 255 UTF-8 bytes. The path must not start
 * with {@code /} or a drive letter ({@code C:}).
 *
 * <p>Paths arrive here already percent-decoded once by the HTTP layer, and that one decoding is
 * the name: it is never decoded again for storage, so a file may hold a literal {@code %}
 * ({@code 100%25.txt}, or the {@code images/loss%step%0%timestamp%1733...%g....png} names MLflow's
 * {@code log_image(key=, step=)} writes). Since some other component (a proxy, a client, another
 * store) may decode a name once more, a path is also refused when a further decoding of it would
 * traverse: a {@code .} or {@code ..} segment, an empty segment, a leading {@code /}, a drive
 * letter, a backslash or a NUL ({@code %2e%2e%2f}, from a client that encoded twice, is refused
 * like {@code ../}, as MLflow's server refuses it). Other control characters a further decoding
 * would produce ({@code %17} from a timestamp) are not a way out of the tree and are allowed:
 * MLflow's server keeps such names too (it escapes them back to {@code %17}).
 */
public final class ArtifactPath {
    /** Uploads are written under this name prefix first; users may not name files so. */
    static final String TEMP_PREFIX = ".labbook-upload-";
    private static final int MAX_SEGMENT_BYTES = 255;
    private static final int MAX_PATH_CHARS = 4096;
    /** Beyond this many nested encodings a path is refused rather than decoded further. */
    private static final int MAX_DECODINGS = 8;

    private ArtifactPath() {}

    /**
     * The validated segments of {@code path}; empty for the root ({@code ""} or null).
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE when the path breaks a rule
     */
    public static List<String> segments(String path) {
        if (path == null || path.isEmpty()) {
            return List.of();
        }
        if (path.length() > MAX_PATH_CHARS) {
            throw LabbookException.invalid("Invalid artifact path: longer than %d characters", MAX_PATH_CHARS);
        }
        String form = path;
        for (int round = 0; ; round++) {
            checkStructure(path, form, round == 0);
            String decoded = PercentDecoder.decode(form);
            if (decoded.equals(form)) {
                break;
            }
            if (round == MAX_DECODINGS) {
                throw invalid(path, "too many levels of percent-encoding");
            }
            form = decoded;
        }
        List<String> segments = List.of(path.split("/", -1));
        for (String s : segments) {
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw invalid(path, "a name is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            if (s.startsWith(TEMP_PREFIX)) {
                throw invalid(path, "names starting with '" + TEMP_PREFIX + "' are reserved");
            }
        }
        return segments;
    }

    /** {@code path} validated, as its segments joined by {@code /} ({@code ""} for the root). */
    public static String normalize(String path) {
        return String.join("/", segments(path));
    }

    /** {@code child} appended to {@code base}, both validated; either may be the root {@code ""}. */
    public static String join(String base, String child) {
        List<String> all = new ArrayList<>(segments(base));
        all.addAll(segments(child));
        return String.join("/", all);
    }

    /**
     * {@code path} as MLflow's server reads a path ({@code validate_path_is_safe}): percent-decoded
     * until it stops changing, then control characters escaped back as {@code %xx}. Not validated;
     * used to find what an MLflow client meant when the path as given names nothing.
     */
    public static String asMlflowDecodes(String path) {
        if (path == null) {
            return null;
        }
        String form = path;
        for (int round = 0; round < 10; round++) {
            String decoded = PercentDecoder.decode(form);
            if (decoded.equals(form)) {
                break;
            }
            form = decoded;
        }
        StringBuilder b = new StringBuilder(form.length());
        for (int i = 0; i < form.length(); i++) {
            char c = form.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append('%').append(String.format("%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** True when {@code name} is valid as a single segment (used to hide what cannot be addressed). */
    public static boolean isValidName(String name) {
        try {
            return !name.contains("/") && segments(name).size() == 1;
        } catch (LabbookException e) {
            return false;
        }
    }

    /**
     * The structural rules, checked on the path as given ({@code asGiven}) and on each further
     * decoding of it, where only NUL among the control characters is refused.
     */
    private static void checkStructure(String original, String form, boolean asGiven) {
        for (int i = 0; i < form.length(); i++) {
            char c = form.charAt(i);
            if (c == 0 || (asGiven && (c < 0x20 || c == 0x7f))) {
                throw invalid(original, "control characters (such as NUL) are not allowed");
            }
            if (c == '\\') {
                throw invalid(original, "backslashes are not allowed; separate directories with '/'");
            }
        }
        if (form.startsWith("/")) {
            throw invalid(original, "the path must be relative");
        }
        if (form.length() >= 2 && form.charAt(1) == ':' && Character.isLetter(form.charAt(0))) {
            throw invalid(original, "the path must not start with a drive letter");
        }
        for (String s : form.split("/", -1)) {
            if (s.isEmpty()) {
                throw invalid(original, "empty path segments are not allowed");
            }
            if (s.equals(".") || s.equals("..")) {
                throw invalid(original, "'.' and '..' segments are not allowed");
            }
        }
    }

    private static LabbookException invalid(String path, String why) {
        return LabbookException.invalid("Invalid artifact path '%s': %s", printable(path), why);
    }

    /** The path with control characters escaped, so error messages stay on one clean line. */
    private static String printable(String path) {
        StringBuilder b = new StringBuilder(Math.min(path.length(), 300));
        for (int i = 0; i < path.length() && b.length() < 300; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
