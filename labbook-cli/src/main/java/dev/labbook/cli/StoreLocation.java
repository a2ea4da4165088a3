package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import dev.labbook.server.ServerConfig;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.PostgresUri;
import java.nio.file.Path;

/**
 * A Labbook store named on the command line: a database URI ({@code sqlite:///...},
 * {@code postgresql://...}) or a data folder laid out as the server's embedded default
 * ({@code DIR/labbook.db}, {@code DIR/artifacts}), with its artifact location.
 *
 * @param databaseUri the backend store URI
 * @param artifacts the artifact folder (or URI), or null when none is known
 */
record StoreLocation(String databaseUri, String artifacts) {
    /** The server's embedded default, {@code ./labbook-data}. */
    static final String DEFAULT_DIR = "labbook-data";

    /**
     * Resolves {@code store} (null for the default folder) and {@code artifacts} (null for the
     * store's own: the data folder's, or the {@code artifacts} folder beside an SQLite file).
     */
    static StoreLocation of(String store, String artifacts) {
        String s = store == null ? DEFAULT_DIR : store;
        if (isDatabaseUri(s)) {
            String own = null;
            if (s.startsWith("sqlite:")) {
                Path parent = Path.of(s.substring("sqlite:".length()).replaceFirst("^//", "")).toAbsolutePath().getParent();
                own = parent == null ? null : parent.resolve("artifacts").toString();
            }
            return new StoreLocation(s, artifacts != null ? artifacts : own);
        }
        ServerConfig embedded = ServerConfig.embedded("127.0.0.1", 0, Path.of(s));
        return new StoreLocation(embedded.backendStoreUri(),
                artifacts != null ? artifacts : embedded.artifactsDestination().toString());
    }

    static boolean isDatabaseUri(String s) {
        return s.startsWith("sqlite:") || PostgresUri.matches(s);
    }

    /** The artifact store, or null when none is known. */
    ArtifactStore openArtifacts() {
        // a folder, file:///... or s3://BUCKET/PREFIX (MLflow's S3 environment variables apply)
        return artifacts == null ? null : dev.labbook.store.artifact.ArtifactStores.open(artifacts);
    }

    /** The database URI without a password, for output. */
    String redactedUri() {
        return Database.redact(databaseUri);
    }
}
