package dev.labbook.client.internal;

import dev.labbook.client.TrackingClient;
import java.nio.file.Path;

/**
 * Where a tracking URI points: a server ({@code http(s)://...}) or a local store, given as
 * {@code sqlite:///abs/path.db} (artifacts next to it, in {@code artifacts/}) or as a data
 * directory ({@code labbook.db} and {@code artifacts/} inside, the layout of {@code labbook server}).
 */
public record Target(String uri, boolean remote, String storeUri, Path artifacts) {

    public static Target of(String uri) {
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return new Target(uri, true, null, null);
        }
        if (uri.startsWith("sqlite:")) {
            String rest = uri.substring("sqlite:".length()).replaceFirst("^//", "");
            Path db = Path.of(rest).toAbsolutePath();
            return new Target(uri, false, uri, db.getParent().resolve("artifacts"));
        }
        Path dir = Path.of(uri.startsWith("file:") ? java.net.URI.create(uri).getPath() : uri).toAbsolutePath().normalize();
        return new Target(uri, false, "sqlite:///" + dir.resolve("labbook.db").toString().replaceFirst("^/", ""),
                dir.resolve("artifacts"));
    }

    /** A backend delivering to this target. */
    public Backend open() {
        return remote ? new HttpBackend(TrackingClient.of(uri)) : new StoreBackend(storeUri, artifacts);
    }
}
