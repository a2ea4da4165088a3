package dev.labbook.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cnn | cnn | true", "cnn | cn | false", "cnn | cnnx | false",
        "cnn-large | cnn% | true", "my-cnn | %cnn | true", "a-cnn-b | %cnn% | true",
        "abc | %x% | false", "abc | a%c | true", "ac | a%c | true", "ab | a%c | false",
        "abc | a_c | true", "ac | a_c | false", "abbc | a_c | false", "abc | ___ | true", "abc | ____ | false",
        "abc | % | true", "abc | %% | true", "abc | _% | true", "abc | %_ | true",
        "aXbXc | a%b%c | true", "abcbc | %bc | true", "abcbd | %bc | false", "aaa | %aa | true",
        "mississippi | m%iss%pi | true", "mississippi | m%iss%pix | false",
        "a.c | a.c | true", "abc | a.c | false", "a*c | a*c | true", "x(1) | x(_) | true", "a\\b | a\\b | true"})
    void caseSensitive(String value, String pattern, boolean expected) {
        assertEquals(expected, Filters.like(value, pattern, false), value + " LIKE " + pattern);
    }

    @Test
    void emptyStrings() {
        assertTrue(Filters.like("", "", false));
        assertTrue(Filters.like("", "%", false));
        assertTrue(Filters.like("", "%%", false));
        assertFalse(Filters.like("", "_", false));
        assertFalse(Filters.like("a", "", false));
    }

    @Test
    void caseInsensitivity() {
        assertFalse(Filters.like("CNN", "cnn", false));
        assertTrue(Filters.like("CNN", "cnn", true));
        assertTrue(Filters.like("My-CNN-Large", "%cnn%", true));
        assertTrue(Filters.like("Straße", "STRAßE", true));
        assertTrue(Filters.like("ÉCOLE", "école", true));
        assertFalse(Filters.like("abc", "ABD", true));
    }

    @Test
    void nullNeverMatches() {
        assertFalse(Filters.like(null, "%", false));
        assertFalse(Filters.like("a", null, true));
    }

    @Test
    void underscoreIsOneCodePoint() {
        String emoji = "run-\uD83D\uDE80"; // a rocket, two UTF-16 units
        assertTrue(Filters.like(emoji, "run-_", false));
        assertFalse(Filters.like(emoji, "run-__", false));
        assertTrue(Filters.like(emoji, "%_", false));
        assertTrue(Filters.like(emoji, "run-\uD83D\uDE80", false));
    }

    @Test
    void pathologicalPatternStaysFast() {
        String value = "a".repeat(5000);
        long t0 = System.nanoTime();
        assertFalse(Filters.like(value, "%a%a%a%a%a%b", false));
        assertTrue((System.nanoTime() - t0) < 2_000_000_000L);
    }

    @Test
    void agreesWithARegexReferenceOnRandomInputs() {
        Random random = new Random(42);
        String alphabet = "abAB";
        String patternAlphabet = "abAB%_";
        for (int i = 0; i < 20_000; i++) {
            String value = randomString(random, alphabet, 8);
            String pattern = randomString(random, patternAlphabet, 6);
            boolean ci = random.nextBoolean();
            assertEquals(reference(value, pattern, ci), Filters.like(value, pattern, ci),
                    "'" + value + "' " + (ci ? "ILIKE" : "LIKE") + " '" + pattern + "'");
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static boolean reference(String value, String pattern, boolean ci) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        int flags = Pattern.DOTALL | (ci ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }
}
