package dev.labbook.store.jdbc;

import org.jdbi.v3.core.Handle;

/** Resolves {@code runs:/<run_id>/<path>} URIs against the runs of this database. */
final class RunsUri {
    private static final String SCHEME = "runs:";

    private RunsUri() {}

    /**
     * The run's artifact URI followed by the path for a {@code runs:/} URI of a known run;
     * anything else unchanged (the run may live on another tracking server, and the client can
     * still resolve the URI there).
     */
    static String resolve(Handle h, String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return uri;
        }
        String rest = uri.substring(SCHEME.length()).replaceFirst("^/+", "");
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        if (runId.isEmpty()) {
            return uri;
        }
        return RunDao.find(h, runId)
                .map(run -> join(run.info().artifactUri(), path))
                .orElse(uri);
    }

    private static String join(String base, String path) {
        if (path.isEmpty()) {
            return base;
        }
        return base.endsWith("/") ? base + path : base + "/" + path;
    }
}
