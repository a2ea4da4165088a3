package dev.labbook.train.features;

import dev.labbook.core.LabbookException;

/**
 * How texts become n-gram features.
 *
 * @param minN shortest n-gram, at least 1
 * @param maxN longest n-gram, at most 3
 * @param minCount an n-gram must occur in at least this many training texts
 * @param maxSize keep at most this many n-grams, the most frequent; 0 for no limit
 */
public record NgramConfig(int minN, int maxN, int minCount, int maxSize) {
    public NgramConfig {
        if (minN < 1 || maxN > NgramVocabulary.MAX_N || minN > maxN) {
            throw LabbookException.invalid("n-gram range %d..%d is out of range: use 1 <= min <= max <= %d",
                    minN, maxN, NgramVocabulary.MAX_N);
        }
        if (minCount < 1) {
            throw LabbookException.invalid("min count must be at least 1, got %d", minCount);
        }
        if (maxSize < 0) {
            throw LabbookException.invalid("max vocabulary size must be 0 (no limit) or positive, got %d", maxSize);
        }
    }

    /** Parses {@code "1..3"} or {@code "1-3"} or {@code "2"} into an n-gram range. */
    public static int[] parseRange(String range) {
        String[] parts = range.trim().split("\\.\\.|-");
        try {
            int lo = Integer.parseInt(parts[0].trim());
            int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
            if (parts.length > 2) {
                throw new NumberFormatException();
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw LabbookException.invalid("n-gram range '%s' is not like 1..3", range);
        }
    }

    /** The range as {@code "1..3"}. */
    public String range() {
        return minN + ".." + maxN;
    }
}
