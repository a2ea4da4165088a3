package dev.labbook.cli;

import dev.labbook.client.TrackingClient;
import dev.labbook.client.internal.Target;
import dev.labbook.client.sweep.Sweeps;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code labbook sweep}: hyperparameter sweeps whose trials are tracked runs. The sweep lives
 * where the tracking URI points: a server (agents on many machines share it) or a local store.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Hyperparameter sweeps (W&B-style sweep files; grid, random, TPE; ASHA, Hyperband, median pruning).",
        subcommands = {SweepCreateCommand.class, SweepAgentCommand.class, SweepRunCommand.class, SweepShowCommand.class,
            SweepStopCommand.class})
final class SweepCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Sweeps at a tracking URI, and the URI trial programs log to: the server itself, or, for a
     * local store, a server on a free loopback port over that store for as long as this command
     * runs (so programs using any MLflow client can log into their trial's run).
     */
    static final class Endpoint implements AutoCloseable {
        final Sweeps sweeps;
        final String trialUri;
        private final LabbookServer server;

        private Endpoint(Sweeps sweeps, String trialUri, LabbookServer server) {
            this.sweeps = sweeps;
            this.trialUri = trialUri;
            this.server = server;
        }

        static Endpoint open(String trackingUriOption) {
            String uri = SentimentCommand.trackingUri(trackingUriOption);
            Target target = Target.of(uri);
            if (target.remote()) {
                return new Endpoint(Sweeps.open(uri), uri, null);
            }
            LabbookServer server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, target.storeUri(), target.artifacts()));
            String local = "http://127.0.0.1:" + server.port();
            return new Endpoint(Sweeps.open(local), local, server);
        }

        /** A client of the tracking API the sweep's runs are on. */
        TrackingClient client() {
            return TrackingClient.of(trialUri);
        }

        @Override
        public void close() {
            sweeps.close();
            if (server != null) {
                server.close();
            }
        }
    }
}
