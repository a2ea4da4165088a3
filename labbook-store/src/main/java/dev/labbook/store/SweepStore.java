package dev.labbook.store;

import dev.labbook.sweep.SweepService;

/**
 * Sweeps kept in the tracking database, beside the runs they create: the server's sweep state and,
 * without a server, a local {@link SweepService} for agents on one machine. Claims run the
 * sampler inside the store's write transaction, so two agents never get the same trial.
 */
public interface SweepStore extends SweepService, AutoCloseable {

    @Override
    void close();
}
