package dev.labbook.server.auth;

import dev.labbook.store.auth.AuthStore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The auth store's change counter as this replica last read it, re-read at most every
 * {@code pollMillis}: cached checks are made under one version and are void under the next. A
 * change made through this replica refreshes it at once; one made through another replica is
 * seen within the poll interval.
 */
final class ChangeWatch {
    private final AuthStore store;
    private final long pollMillis;
    private final LongSupplier clock;
    private final AtomicLong version = new AtomicLong(-1);
    private volatile long readAt = Long.MIN_VALUE;

    ChangeWatch(AuthStore store, long pollMillis, LongSupplier clock) {
        this.store = store;
        this.pollMillis = pollMillis;
        this.clock = clock;
    }

    /** The current version (a database read when the last one is older than the poll interval). */
    long current() {
        long now = clock.getAsLong();
        if (now - readAt >= pollMillis) {
            version.set(store.version());
            readAt = now;
        }
        return version.get();
    }

    /** Re-reads the version now: after a change made here. */
    void refresh() {
        version.set(store.version());
        readAt = clock.getAsLong();
    }
}
