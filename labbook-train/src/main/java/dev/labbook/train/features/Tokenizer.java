package dev.labbook.train.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits review text into lowercase word tokens. HTML line breaks ({@code <br />}, common in IMDb)
 * are dropped; letters and digits form words, an apostrophe between letters stays inside a word
 * ({@code don't}); {@code !} and {@code ?} become tokens of their own because they carry
 * sentiment; any other punctuation separates words.
 */
public final class Tokenizer {
    private static final char[] BANG = {'!'};
    private static final char[] QUESTION = {'?'};

    private Tokenizer() {}

    /** Receives tokens from {@link #scan}: {@code chars[0..length)}, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /** One token; the array is reused, so copy what must outlive the call and never write to it. */
        void token(char[] chars, int length);
    }

    /**
     * The tokens of {@code text}, in order, exactly as {@link #tokenize} splits them, handed to
     * {@code sink} without making a String of each: the scoring path looks words up by their
     * characters (NgramVocabulary's word table), so most tokens cost no allocation at all.
     */
    public static void scan(String text, Sink sink) {
        char[] word = new char[32];
        int len = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '<' && isBreakTag(text, i)) {
                if (len > 0) {
                    sink.token(word, len);
                    len = 0;
                }
                i = text.indexOf('>', i);
            } else if (c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c)) {
                if (len == word.length) {
                    word = Arrays.copyOf(word, len * 2);
                }
                word[len++] = c <= 'Z' && c >= 'A' ? (char) (c + ('a' - 'A')) : c < 128 ? c : Character.toLowerCase(c);
            } else if (c == '\'' && len > 0 && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                if (len == word.length) {
                    word = Arrays.copyOf(word, len * 2);
                }
                word[len++] = c;
            } else {
                if (len > 0) {
                    sink.token(word, len);
                    len = 0;
                }
                if (c == '!' || c == '?') {
                    sink.token(c == '!' ? BANG : QUESTION, 1);
                }
            }
        }
        if (len > 0) {
            sink.token(word, len);
        }
    }

    /** Character.isLetterOrDigit for ASCII, as a table (the common case of English reviews). */
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_WORD[c] = Character.isLetterOrDigit(c);
        }
    }

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
