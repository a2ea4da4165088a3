package dev.labbook.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a server scores with, swapped atomically. A request {@link #acquire}s the current
 * model and {@link #release}s it when answered; a model replaced by {@link #install} is closed
 * (when it holds native memory, as a fastText model's PyTorch weights do) once the last request
 * that acquired it is done, never while one still scores with it.
 */
final class ModelSlot {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);
    private final AtomicReference<Entry> current = new AtomicReference<>();

    /** A served model with the count of requests using it. */
    static final class Entry {
        final LoadedModel model;
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean retired;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Entry(LoadedModel model) {
            this.model = model;
        }

        private void closeOnce() {
            if (closed.compareAndSet(false, true) && model.model() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing the replaced model {} failed: {}", model.label(), e.toString());
                }
            }
        }
    }

    /** The model new requests get, if one is installed. */
    Optional<LoadedModel> peek() {
        Entry e = current.get();
        return e == null ? Optional.empty() : Optional.of(e.model);
    }

    /** Takes the current model for one request, or null before any is installed; pair with {@link #release}. */
    Entry acquire() {
        while (true) {
            Entry e = current.get();
            if (e == null) {
                return null;
            }
            e.inFlight.incrementAndGet();
            if (current.get() == e) {
                return e;
            }
            // replaced meanwhile: this request takes the new one; the old may now be done
            release(e);
        }
    }

    /** Ends a request's use of {@code e}. */
    void release(Entry e) {
        if (e.inFlight.decrementAndGet() == 0 && e.retired) {
            e.closeOnce();
        }
    }

    /** Makes {@code model} current; returns the one it replaced, if any. */
    Optional<LoadedModel> install(LoadedModel model) {
        Entry old = current.getAndSet(new Entry(model));
        if (old == null) {
            return Optional.empty();
        }
        old.retired = true;
        if (old.inFlight.get() == 0) {
            old.closeOnce();
        }
        return Optional.of(old.model);
    }
}
