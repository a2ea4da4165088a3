package dev.labbook.train.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramVocabularyTest {
    private static final List<String> TEXTS = List.of(
            "a good film", "a good plot", "a bad film", "not good at all", "good good good");

    @Test
    void keepsNgramsWithEnoughDocumentsMostFrequentFirst() {
        NgramVocabulary v = NgramVocabulary.build(TEXTS, new NgramConfig(1, 2, 2, 0)).vocabulary();
        Set<String> grams = IntStream.range(0, v.size()).mapToObj(v::ngram).collect(Collectors.toSet());
        assertEquals(Set.of("good", "a", "film", "a good"), grams);
        assertEquals("good", v.ngram(0));
    }

    @Test
    void maxSizeKeepsTheMostFrequent() {
        NgramVocabulary v = NgramVocabulary.build(TEXTS, new NgramConfig(1, 3, 1, 2)).vocabulary();
        assertEquals(2, v.size());
        assertEquals(List.of("good", "a"), List.of(v.ngram(0), v.ngram(1)));
    }

    @Test
    void encodingNewTextMatchesTrainingEncodingAndSurvivesSaveLoad(@TempDir Path dir) throws Exception {
        NgramConfig config = new NgramConfig(1, 3, 1, 0);
        NgramVocabulary.Built built = NgramVocabulary.build(TEXTS, config);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(built.encoded()[i], built.vocabulary().encode(TEXTS.get(i)));
        }
        Path file = dir.resolve("vocab.txt");
        built.vocabulary().save(file);
        NgramVocabulary loaded = NgramVocabulary.load(file, config);
        assertEquals(built.vocabulary().size(), loaded.size());
        for (String t : List.of("a good film", "good at all, a bad plot!", "unknown words only")) {
            assertArrayEquals(built.vocabulary().encode(t), loaded.encode(t));
        }
        assertTrue(Files.readString(file).contains("a good film\n"));
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(LabbookException.class, () -> new NgramConfig(0, 2, 1, 0));
        assertThrows(LabbookException.class, () -> new NgramConfig(1, 4, 1, 0));
        assertThrows(LabbookException.class, () -> new NgramConfig(2, 1, 1, 0));
        assertThrows(LabbookException.class, () -> new NgramConfig(1, 2, 0, 0));
        assertThrows(LabbookException.class, () -> NgramConfig.parseRange("one..two"));
        assertArrayEquals(new int[] {1, 3}, NgramConfig.parseRange("1..3"));
        assertArrayEquals(new int[] {2, 2}, NgramConfig.parseRange("2"));
    }

    @Test
    void longIntMapCountsThroughGrowth() {
        LongIntMap m = new LongIntMap(4);
        for (long k = 1; k <= 10_000; k++) {
            m.addTo(k << 21, 1);
            m.addTo(k << 21, 2);
        }
        assertEquals(10_000, m.size());
        assertEquals(3, m.get(5000L << 21, -1));
        assertEquals(-1, m.get(123, -1));
    }
}
