package dev.labbook.train.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void lowercasesDropsBreaksAndKeepsSentimentPunctuation() {
        assertEquals(List.of("great", "movie", "i", "didn't", "like", "the", "end", "!", "why", "?"),
                Tokenizer.tokenize("Great movie.<br /><br />I didn't like the END! Why?"));
    }

    @Test
    void punctuationSeparatesWords() {
        assertEquals(List.of("well", "made", "10", "10", "a", "b"), Tokenizer.tokenize("well-made, 10/10 (a)...b"));
        assertEquals(List.of("the", "actors", "good"), Tokenizer.tokenize("the actors' 'good'"));
        assertEquals(List.of("x", "y"), Tokenizer.tokenize("x<BR>y"));
        assertEquals(List.of("a", "b", "c"), Tokenizer.tokenize("a <b> c"));
        assertEquals(List.of(), Tokenizer.tokenize(""));
    }
}
