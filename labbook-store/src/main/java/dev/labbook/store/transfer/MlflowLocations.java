package dev.labbook.store.transfer;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the files of an MLflow run or logged model are on this machine, and where they go in
 * Labbook. MLflow records artifact locations as it was configured: {@code mlflow-artifacts:/1/ID/artifacts}
 * (a server with an artifact proxy; files under its {@code --artifacts-destination}, usually
 * {@code mlartifacts/}), {@code file:///.../mlruns/1/ID/artifacts} or a relative
 * {@code ./mlruns/1/ID/artifacts} (no proxy). Whatever the form, the files are looked up under
 * the artifact root given to the import, and the imported entity gets the proxy location
 * {@code mlflow-artifacts:/PATH} of the store path they are copied to, so that Labbook serves
 * them, {@code runs:/} URIs included. Locations in object stores ({@code s3://}, ...) are kept as
 * they are and their files are not copied.
 */
final class MlflowLocations {
    private static final String PROXY = "mlflow-artifacts";
    private final Path root;

    /** @param root the MLflow artifact root ({@code mlartifacts} or {@code mlruns}); may be null */
    MlflowLocations(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    /**
     * An imported entity's location.
     *
     * @param uri what Labbook records (a proxy URI, or the remote URI as it was)
     * @param storePath the path in Labbook's artifact store, or null for a remote location
     * @param localDir the folder holding the files here, or null when none was found
     */
    record Location(String uri, String storePath, Path localDir) {
        boolean remote() {
            return storePath == null;
        }
    }

    /**
     * Maps the MLflow location {@code mlflowUri} of an entity whose default place is
     * {@code defaultPath} (e.g. {@code 1/RUN_ID/artifacts}).
     */
    Location locate(String mlflowUri, String defaultPath) {
        if (mlflowUri == null || mlflowUri.isBlank()) {
            return local(defaultPath, existing(root == null ? null : root.resolve(defaultPath)));
        }
        String scheme = scheme(mlflowUri);
        if (scheme.equals(PROXY)) {
            String path = trim(pathOf(mlflowUri));
            return local(path, existing(under(path)));
        }
        if (!scheme.isEmpty() && !scheme.equals("file") && scheme.length() > 1) {
            return new Location(mlflowUri, null, null); // an object store: not ours to copy
        }
        String localPath = scheme.equals("file") ? pathOf(mlflowUri) : mlflowUri;
        for (Path candidate : candidates(localPath)) {
            Path found = existing(candidate);
            if (found == null) {
                continue;
            }
            if (root != null && found.startsWith(root) && !found.equals(root)) {
                return local(root.relativize(found).toString().replace('\\', '/'), found);
            }
            return local(defaultPath, found);
        }
        String tail = tailFrom(localPath, firstSegment(defaultPath));
        if (tail != null && existing(under(tail)) != null) {
            return local(tail, under(tail));
        }
        return local(defaultPath, null);
    }

    private Location local(String storePath, Path dir) {
        return new Location(PROXY + ":/" + storePath, storePath, dir);
    }

    /** The literal path, then relative to the root's parent (where {@code ./mlruns} usually sits). */
    private List<Path> candidates(String localPath) {
        List<Path> out = new ArrayList<>();
        try {
            Path p = Path.of(localPath);
            if (p.isAbsolute()) {
                out.add(p);
            } else {
                if (root != null && root.getParent() != null) {
                    out.add(root.getParent().resolve(p));
                }
                out.add(p.toAbsolutePath());
            }
        } catch (InvalidPathException e) {
            // not a path on this machine
        }
        return out;
    }

    /**
     * The part of {@code path} from its last segment equal to {@code experimentSegment} on
     * ({@code /old/host/mlruns/1/ID/artifacts} gives {@code 1/ID/artifacts}), or null: files
     * moved to another machine keep their layout below the root.
     */
    private static String tailFrom(String path, String experimentSegment) {
        String[] parts = path.replace('\\', '/').split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (parts[i].equals(experimentSegment)) {
                return String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
            }
        }
        return null;
    }

    private Path under(String storePath) {
        if (root == null) {
            return null;
        }
        Path p = root.resolve(storePath).normalize();
        return p.startsWith(root) ? p : null;
    }

    private static Path existing(Path p) {
        return p != null && Files.isDirectory(p) ? p.toAbsolutePath().normalize() : null;
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || !uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return "";
        }
        return uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /**
     * The path of {@code scheme:[//authority]/path}, percent-decoded when the URI parses; taken
     * as written when it does not (MLflow does not escape spaces in the locations it records).
     */
    private static String pathOf(String uri) {
        try {
            String p = new URI(uri).getPath();
            if (p != null) {
                return p;
            }
        } catch (java.net.URISyntaxException e) {
            // below
        }
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        int end = rest.length();
        for (char c : new char[] {'?', '#'}) {
            int i = rest.indexOf(c);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        return rest.substring(0, end);
    }

    private static String firstSegment(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    private static String trim(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
