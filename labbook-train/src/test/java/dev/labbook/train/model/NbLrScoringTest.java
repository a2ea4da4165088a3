package dev.labbook.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.train.TestData;
import dev.labbook.train.data.LabeledData;
import dev.labbook.train.data.Review;
import dev.labbook.train.features.NgramConfig;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.features.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast scoring path of NB-LR (characters looked up without Strings, one table of key, id and
 * weight) against the original one ({@code Tokenizer.tokenize}, {@code NgramVocabulary.encode},
 * {@code scoreEncoded}) on real IMDb reviews: the same tokens and bit for bit the same scores,
 * for the trained model, the model loaded from the binary vocabulary and from the text one.
 */
class NbLrScoringTest {
    /** Texts the reviews may not cover: case, non-ASCII letters, long words, tags, apostrophes. */
    private static final List<String> EDGES = List.of("", "!!!", "??!", "A", "Don't you 'dare'", "x<BR>y<br />z<b>w",
            "ÉCOLE Straße İstanbul ǅemal café", "a".repeat(100) + " " + "B".repeat(70), "l'été 2x4 10/10 well-made",
            "unclosed <br", "Great!! movie?? GREAT movie", "日本語 の 映画 ！");

    @Test
    void fastPathGivesTheOriginalTokensAndBitIdenticalScores(@TempDir Path dir) throws Exception {
        LabeledData data = TestData.smallImdb();
        List<String> train = data.train().stream().map(Review::text).toList();
        NgramConfig ngrams = new NgramConfig(1, 3, 1, 0);
        NgramVocabulary.Built built = NgramVocabulary.build(train, ngrams);
        int[] labels = data.train().stream().mapToInt(Review::label).toArray();
        NbLrModel model = new NbLrTrainer(new NbLrParams(1.0, ngrams, 1.0, 0.1)).train(built.vocabulary(), built.encoded(), labels, 3);
        List<String> texts = Stream.of(data.test().stream().map(Review::text), train.stream(), EDGES.stream())
                .flatMap(s -> s).toList();

        for (String t : texts) {
            List<String> scanned = new ArrayList<>();
            Tokenizer.scan(t, (chars, length) -> scanned.add(new String(chars, 0, length)));
            assertEquals(Tokenizer.tokenize(t), scanned, t);
        }
        assertSameScores(model, model, texts);

        model.save(dir.resolve("new"));
        assertTrue(Files.isRegularFile(dir.resolve("new").resolve("vocabulary.bin")));
        NbLrModel binary = (NbLrModel) Models.load(dir.resolve("new"));
        assertSameScores(model, binary, texts);
        assertEquals(model.vocabulary().ngram(17), binary.vocabulary().ngram(17));

        // a model saved before the binary form existed has only vocabulary.txt
        model.save(dir.resolve("old"));
        Files.delete(dir.resolve("old").resolve("vocabulary.bin"));
        NbLrModel text = (NbLrModel) Models.load(dir.resolve("old"));
        assertSameScores(model, text, texts);
    }

    /** {@code actual.score} equals the original path of {@code reference}, bit for bit, on every text. */
    private static void assertSameScores(NbLrModel reference, NbLrModel actual, List<String> texts) {
        int positive = 0;
        for (String t : texts) {
            double original = reference.scoreEncoded(reference.vocabulary().encode(t));
            double fast = actual.score(t);
            assertEquals(Double.doubleToRawLongBits(original), Double.doubleToRawLongBits(fast), t);
            assertEquals(Double.doubleToRawLongBits(original),
                    Double.doubleToRawLongBits(actual.scoreEncoded(actual.vocabulary().encode(t))), t);
            positive += fast >= 0.5 ? 1 : 0;
        }
        // a model that says one thing of everything would make the comparison weak
        assertTrue(positive > texts.size() / 4 && positive < texts.size() * 3 / 4, "positives " + positive);
    }
}
