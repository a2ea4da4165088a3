package dev.labbook.serving;

import java.io.PrintStream;

/**
 * What {@code labbook models serve} runs: a scoring server that starts listening at once
 * ({@code /health} answers 503 while the model loads), the model resolved, downloaded into the
 * cache unless it is there, and loaded; and, for an alias URI, an {@link AliasWatcher}.
 */
public final class ModelService implements AutoCloseable {
    private final ScoringServer server;
    private final AliasWatcher watcher;

    private ModelService(ScoringServer server, AliasWatcher watcher) {
        this.server = server;
        this.watcher = watcher;
    }

    /** Serves {@code uri} with models resolved by {@code resolver}; returns once the model answers. */
    public static ModelService start(ModelUri uri, ModelResolver resolver, ServingOptions options, PrintStream out) {
        ScoringServer server = ScoringServer.start(options);
        try {
            LoadedModel model = resolver.load(uri);
            server.install(model);
            AliasWatcher watcher = uri.kind() == ModelUri.Kind.ALIAS
                    ? AliasWatcher.start(uri, resolver, server, options.pollInterval()) : null;
            if (out != null) {
                out.printf("serving %s (%s, %s) on http://%s:%d/invocations%n", model.label(), model.model().flavor(), model.dir(),
                        options.host(), server.port());
                if (watcher != null) {
                    out.printf("following alias %s: a new version is loaded within %d s of the alias moving%n",
                            uri.reference(), Math.max(1, options.pollInterval().toSeconds()));
                }
            }
            return new ModelService(server, watcher);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The scoring server. */
    public ScoringServer server() {
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        server.close();
    }
}
