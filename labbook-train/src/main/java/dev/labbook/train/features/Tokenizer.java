package dev.labbook.train.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits review text into lowercase word tokens. HTML line breaks ({@code <br />}, common in IMDb)
 * are dropped; letters and digits form words, an apostrophe between letters stays inside a word
 * ({@code don't}); {@code !} and {@code ?} become tokens of their own because they carry
 * sentiment; any other punctuation separates words.
 */
public final class Tokenizer {
    private Tokenizer() {}

    /** The tokens of {@code text}, in order. */
    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>(text.length() / 5 + 1);
        StringBuilder word = new StringBuilder(16);
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '<' && isBreakTag(text, i)) {
                flush(word, tokens);
                i = text.indexOf('>', i);
            } else if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
            } else if (c == '\'' && word.length() > 0 && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                word.append(c);
            } else {
                flush(word, tokens);
                if (c == '!' || c == '?') {
                    tokens.add(c == '!' ? "!" : "?");
                }
            }
        }
        flush(word, tokens);
        return tokens;
    }

    /** {@code <br>}, {@code <br/>} or {@code <br />}, in any case, with a closing {@code >} ahead. */
    private static boolean isBreakTag(String text, int at) {
        if (!text.regionMatches(true, at + 1, "br", 0, 2)) {
            return false;
        }
        int close = text.indexOf('>', at);
        return close > 0 && close - at <= 6;
    }

    private static void flush(StringBuilder word, List<String> tokens) {
        if (word.length() > 0) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }
}
