package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.train.model.NbLrModel;
import dev.labbook.train.model.SentimentModel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replaced model that holds native memory is closed once its last request is done, never before. */
class ModelSlotTest {

    /** A real NB-LR model that, like a fastText one, must be closed; it records the close. */
    static final class Closeable implements SentimentModel, AutoCloseable {
        final NbLrModel inner;
        final AtomicBoolean closed = new AtomicBoolean();

        Closeable(NbLrModel inner) {
            this.inner = inner;
        }

        @Override
        public String flavor() {
            return "closeable";
        }

        @Override
        public double score(String text) {
            if (closed.get()) {
                throw new IllegalStateException("scored after close");
            }
            return inner.score(text);
        }

        @Override
        public void save(Path dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static LoadedModel loaded(String version, SentimentModel m) {
        return new LoadedModel("models:/m/" + version, "m", version, null, Path.of("."), "text", m);
    }

    @Test
    void closedAfterTheLastRequestThatHeldIt(@TempDir Path dir) {
        NbLrModel nblr = TestModels.train(1.0, dir.resolve("m"));
        Closeable a = new Closeable(nblr);
        Closeable b = new Closeable(nblr);
        Closeable c = new Closeable(nblr);
        ModelSlot slot = new ModelSlot();
        assertNull(slot.acquire());
        slot.install(loaded("1", a));
        ModelSlot.Entry first = slot.acquire();
        ModelSlot.Entry second = slot.acquire();
        assertSame(a, first.model.model());
        assertEquals("1", slot.install(loaded("2", b)).orElseThrow().version());
        assertSame(b, slot.acquire().model.model(), "new requests get the new model");
        slot.release(first);
        assertFalse(a.closed.get(), "a request still scores with it");
        assertTrue(second.model.model().score("good") >= 0);
        slot.release(second);
        assertTrue(a.closed.get());
        // b has one request in flight (acquired above and never released): replacing it keeps it open
        slot.install(loaded("3", c));
        assertFalse(b.closed.get());
        slot.install(loaded("4", nblr));
        assertTrue(c.closed.get(), "nothing held c: closed at once");
    }
}
