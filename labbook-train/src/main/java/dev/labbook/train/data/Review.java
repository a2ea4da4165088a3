package dev.labbook.train.data;

/**
 * One labeled text.
 *
 * @param id where the text came from, unique within its data set (for IMDb {@code train/pos/123_8})
 * @param text the raw text
 * @param label 1 for positive, 0 for negative
 */
public record Review(String id, String text, int label) {
    /** The label of positive texts. */
    public static final int POSITIVE = 1;
    /** The label of negative texts. */
    public static final int NEGATIVE = 0;

    public Review {
        if (label != POSITIVE && label != NEGATIVE) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
    }
}
