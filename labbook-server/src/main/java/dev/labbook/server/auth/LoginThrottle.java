package dev.labbook.server.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed sign-ins counted per key ({@code user:NAME}, {@code addr:IP}) in fixed windows: once a
 * key has {@code max} failures in its window, every attempt for it is refused until the window
 * ends, without checking the password (so guessing goes no faster by trying). The counts are this
 * replica's; with N replicas behind a balancer an attacker gets at most N times the budget.
 */
final class LoginThrottle {
    private final int max;
    private final long windowMillis;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    LoginThrottle(int max, Duration window, LongSupplier clock) {
        this.max = max;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Seconds until {@code key} may try again; 0 when it may now. */
    long retryAfterSeconds(String key) {
        long[] w = windows.get(key);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long left = w[0] + windowMillis - clock.getAsLong();
            if (left <= 0) {
                windows.remove(key, w);
                return 0;
            }
            return w[1] >= max ? Math.max(1, (left + 999) / 1000) : 0;
        }
    }

    void fail(String key) {
        long now = clock.getAsLong();
        if (windows.size() > 100_000) {
            // a flood of distinct keys: forget expired windows rather than grow without bound
            windows.entrySet().removeIf(e -> e.getValue()[0] + windowMillis <= now);
        }
        long[] w = windows.computeIfAbsent(key, k -> new long[] {now, 0});
        synchronized (w) {
            if (w[0] + windowMillis <= now) {
                w[0] = now;
                w[1] = 0;
            }
            w[1]++;
        }
    }

    void succeed(String key) {
        windows.remove(key);
    }
}
