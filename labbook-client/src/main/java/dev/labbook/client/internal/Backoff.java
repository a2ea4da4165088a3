package dev.labbook.client.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, capped: 0.2 s, 0.4 s, ... up to 30 s, each randomized by half. */
final class Backoff {
    static final long FIRST_MILLIS = 200;
    static final long MAX_MILLIS = 30_000;

    private long next = FIRST_MILLIS;
    private int failures;

    /** The delay before the next attempt; each call doubles the following one. */
    long nextDelayMillis() {
        long d = next;
        next = Math.min(MAX_MILLIS, next * 2);
        failures++;
        // "equal jitter": half fixed so retries do not pile up, half random so clients spread out
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    int failures() {
        return failures;
    }

    void reset() {
        next = FIRST_MILLIS;
        failures = 0;
    }
}
