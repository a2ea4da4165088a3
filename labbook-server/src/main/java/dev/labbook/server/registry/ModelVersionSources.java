package dev.labbook.server.registry;

import dev.labbook.core.LabbookException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The checks MLflow's server makes on a model version's {@code source} before registering it
 * (handlers.py {@code _validate_source_run}, {@code _validate_source_model} and
 * {@code _validate_non_local_source_contains_relative_paths}), because clients later download
 * from that location through the server:
 *
 * <ul>
 *   <li>a local source (no scheme, {@code file:}, a drive letter) is only accepted inside the
 *       local artifact directory of the run named by {@code run_id};
 *   <li>any other source, once fully percent-decoded, must have an absolute, normalized path
 *       without {@code ..} or {@code .} segments or a NUL: {@code mlflow-artifacts://host/models/../../../}
 *       and {@code s3://b/m/..%2f..%2fx} are refused;
 *   <li>prompts (tagged {@code mlflow.prompt.is_prompt}) may not point at local paths, and a
 *       schemeless placeholder such as {@code dummy-source} is fine for them.
 * </ul>
 */
final class ModelVersionSources {
    static final String IS_PROMPT = "mlflow.prompt.is_prompt";

    private ModelVersionSources() {}

    /**
     * Refuses {@code source} with INVALID_PARAMETER_VALUE and MLflow's message unless it is safe.
     *
     * @param runArtifactUri looks up the artifact URI of a run (empty for an unknown run)
     */
    static void check(String source, String runId, String modelId, boolean prompt,
            Function<String, Optional<String>> runArtifactUri) {
        Parsed p = Parsed.of(source);
        if (p.scheme.equals("file") && p.remoteHost()) {
            // MLflow's is_local_uri raises for it rather than reading it as a local path
            throw LabbookException.invalid("%s is not a valid remote uri. For remote access on windows, please consider "
                    + "using a different scheme such as SMB (e.g. smb://<hostname>/<path>).", source);
        }
        if (prompt) {
            if (p.scheme.equals("file") || (p.scheme.isEmpty() && source.startsWith("/"))) {
                throw LabbookException.invalid(
                        "Invalid prompt source: '%s'. Local source paths are not allowed for prompts.", source);
            }
            if (!p.scheme.isEmpty()) {
                checkNoRelativePaths(source);
            }
            return;
        }
        if (p.isLocal()) {
            if (modelId == null && runId != null && insideLocalRunArtifacts(p, runArtifactUri.apply(runId))) {
                return;
            }
            throw modelId != null
                    ? LabbookException.invalid("Invalid model version source: '%s'. To use a local path as a model version "
                            + "source, the model_id request parameter has to be specified and the local path has to be "
                            + "contained within the artifact directory of the run specified by the model_id.", source)
                    : LabbookException.invalid("Invalid model version source: '%s'. To use a local path as a model version "
                            + "source, the run_id request parameter has to be specified and the local path has to be "
                            + "contained within the artifact directory of the run specified by the run_id.", source);
        }
        checkNoRelativePaths(source);
    }

    /** MLflow's traversal check for sources with a scheme (http, s3, mlflow-artifacts, runs, models...). */
    static void checkNoRelativePaths(String source) {
        String decoded = source;
        for (int i = 0; i < 32; i++) {
            String next = unquotePlus(decoded);
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        String path = Parsed.of(decoded).path.replaceAll("/+", "/").replaceAll("/+$", "");
        boolean dotDot = false;
        for (String segment : decoded.split("/", -1)) {
            dotDot |= segment.equals("..");
        }
        if (path.indexOf('\u0000') >= 0 || dotDot || !isNormalAbsolute(path)) {
            throw LabbookException.invalid("Invalid model version source: '%s'. If supplying a source as an http, https, "
                    + "local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided "
                    + "without relative path references present. Please provide an absolute path.", source);
        }
    }

    /** What {@code Path(p).resolve()} leaves unchanged: an absolute path without '.' or '..' segments. */
    private static boolean isNormalAbsolute(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean insideLocalRunArtifacts(Parsed source, Optional<String> artifactUri) {
        if (artifactUri.isEmpty()) {
            return false;
        }
        Parsed root = Parsed.of(artifactUri.get());
        if (!root.isLocal()) {
            return false;
        }
        String s = normalize(source.path);
        String r = normalize(root.path);
        return s != null && r != null && (s.equals(r) || s.startsWith(r.endsWith("/") ? r : r + "/"));
    }

    /** A lexically normalized path ('.' and '..' resolved), or null when '..' climbs above the start. */
    private static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.remove(out.size() - 1);
            } else {
                out.add(segment);
            }
        }
        return (path.startsWith("/") ? "/" : "") + String.join("/", out);
    }

    /** Python's {@code urllib.parse.unquote_plus}: '+' is a space, bad escapes stay as they are. */
    private static String unquotePlus(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = i;
            while (end + 2 < s.length() && s.charAt(end) == '%' && hex(s.charAt(end + 1)) && hex(s.charAt(end + 2))) {
                end += 3;
            }
            if (end > i) {
                out.append(URLDecoder.decode(s.substring(i, end), StandardCharsets.UTF_8));
                i = end;
            } else {
                char c = s.charAt(i++);
                out.append(c == '+' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A URI split as Python's urlparse splits it: scheme, authority, path. */
    private record Parsed(String scheme, String host, String path) {
        static Parsed of(String uri) {
            String scheme = "";
            String rest = uri;
            int colon = uri.indexOf(':');
            if (colon > 0 && uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
                rest = uri.substring(colon + 1);
            }
            String host = "";
            if (rest.startsWith("//")) {
                int end = indexOfAny(rest, 2, "/?#");
                host = rest.substring(2, end);
                rest = rest.substring(end);
            }
            return new Parsed(scheme, host, rest.substring(0, indexOfAny(rest, 0, "?#")));
        }

        /** A host other than this one ({@code localhost}, {@code 127.0.0.1}, {@code .} or none). */
        boolean remoteHost() {
            String h = host.contains("@") ? host.substring(host.indexOf('@') + 1) : host;
            return !h.isEmpty() && !h.equals(".") && !h.startsWith("localhost") && !h.startsWith("127.0.0.1");
        }

        /** MLflow's {@code is_local_uri}: no scheme, {@code file:} on this host, or a drive letter. */
        boolean isLocal() {
            boolean remoteHost = remoteHost();
            if (scheme.isEmpty()) {
                return true;
            }
            if (scheme.equals("file")) {
                return !remoteHost;
            }
            return !remoteHost && scheme.length() == 1;
        }

        private static int indexOfAny(String s, int from, String chars) {
            for (int i = from; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return s.length();
        }
    }
}
