package dev.labbook.store.jdbc;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Resolves {@code models:/<name>/<version>} and {@code models:/<name>@<alias>} sources against this
 * registry, as MLflow's store resolves them when a version is created from another
 * ({@code copy_model_version} registers {@code models:/src/1}): the version keeps that source,
 * and its download URI is the source version's own download URI. Any other URI (a logged model's
 * {@code models:/m-...}, a model of another registry) is left as it is.
 */
final class ModelsUri {
    private static final String SCHEME = "models:/";
    /** Copies of copies resolve through at most this many hops (a cycle cannot form, but be safe). */
    private static final int MAX_HOPS = 16;

    private ModelsUri() {}

    /** The download URI of {@code source}: runs:/ and models:/ of this server resolved, anything else as is. */
    static String downloadUri(Handle h, String source) {
        String uri = source;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Optional<String> next = versionSource(h, uri);
            if (next.isEmpty()) {
                break;
            }
            uri = next.get();
        }
        return RunsUri.resolve(h, uri);
    }

    /** The source of the version a models:/ URI names, when it names one of this registry. */
    private static Optional<String> versionSource(Handle h, String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = uri.substring(SCHEME.length());
        int at = rest.lastIndexOf('@');
        int slash = rest.lastIndexOf('/');
        String name;
        Optional<Long> version;
        if (at > 0 && at > slash) {
            name = rest.substring(0, at);
            String alias = rest.substring(at + 1);
            version = RegisteredModelDao.find(h, name).flatMap(m -> AliasDao.version(h, m.pk(), alias));
        } else if (slash > 0 && rest.substring(slash + 1).matches("[0-9]{1,18}")) {
            name = rest.substring(0, slash);
            version = Optional.of(Long.parseLong(rest.substring(slash + 1)));
        } else {
            return Optional.empty();
        }
        return version.flatMap(v -> RegisteredModelDao.find(h, name).flatMap(m -> ModelVersionDao.find(h, m.pk(), v)))
                .map(VersionRow::source);
    }
}
