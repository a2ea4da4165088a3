package dev.labbook.train.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.labbook.train.TrainConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunNamesTest {
    private static TrainConfig config(String model, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(TrainConfig.defaults(model).asParams());
        p.putAll(overrides);
        return TrainConfig.fromParams(p);
    }

    @Test
    void namedAfterTheModelAndWhatASweepVaries() {
        assertEquals("nblr-c1.0-ng3", RunNames.of(config("nblr", Map.of())));
        assertEquals("nblr-c0.25-ng2", RunNames.of(config("nblr", Map.of("c", "0.25", "ngrams", "1..2"))));
        assertEquals("fasttext-lr0.005-e3-ng2", RunNames.of(config("fasttext", Map.of())));
        assertEquals("fasttext-lr0.01-e5-ng1", RunNames.of(config("fasttext", Map.of("lr", "0.01", "epochs", "5", "ngrams", "1..1"))));
    }

    @Test
    void uniqueWithASuffix() {
        assertEquals("a", RunNames.unique("a", Set.of("b")));
        assertEquals("a-2", RunNames.unique("a", Set.of("a")));
        assertEquals("a-4", RunNames.unique("a", Set.of("a", "a-2", "a-3")));
    }
}
