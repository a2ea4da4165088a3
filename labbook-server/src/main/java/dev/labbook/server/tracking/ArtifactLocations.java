package dev.labbook.server.tracking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment's {@code artifact_location} as MLflow's store keeps it: a relative local path
 * ({@code mlruns/x}, {@code ./a}, {@code file:rel}) is made absolute against the server's working
 * directory ({@code resolve_uri_if_local}), so it means the same thing whoever reads it later;
 * absolute paths and URIs of other schemes are kept as given.
 */
final class ArtifactLocations {
    private ArtifactLocations() {}

    static String resolveIfLocal(String location) {
        return resolveIfLocal(location, Path.of("").toAbsolutePath());
    }

    static String resolveIfLocal(String location, Path cwd) {
        if (location == null || location.isEmpty()) {
            return location;
        }
        int colon = location.indexOf(':');
        String scheme = colon > 1 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
                ? location.substring(0, colon) : "";
        if (scheme.isEmpty()) {
            return isAbsolute(location) ? location : join(cwd, location);
        }
        if (scheme.equalsIgnoreCase("file")) {
            String rest = location.substring(colon + 1);
            if (rest.startsWith("/")) {
                return location; // file:/abs, file:///abs, file://host/abs
            }
            String path = rest;
            String suffix = "";
            int q = indexOfAny(rest, "?#");
            if (q >= 0) {
                path = rest.substring(0, q);
                suffix = rest.substring(q);
            }
            return "file://" + join(cwd, path) + suffix;
        }
        return location;
    }

    private static boolean isAbsolute(String p) {
        return p.startsWith("/") || (p.length() >= 2 && p.charAt(1) == ':' && Character.isLetter(p.charAt(0)));
    }

    /** pathlib's {@code cwd.joinpath(p).as_posix()}: '.' and empty segments dropped, '..' kept. */
    private static String join(Path cwd, String relative) {
        List<String> parts = new ArrayList<>();
        for (String s : (cwd.toString().replace('\\', '/') + "/" + relative).split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
