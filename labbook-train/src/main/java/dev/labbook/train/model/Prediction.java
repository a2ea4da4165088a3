package dev.labbook.train.model;

/**
 * A model's answer for one text: the model signature's output {@code label, score}.
 *
 * @param label {@code positive} or {@code negative}
 * @param score the probability of {@code positive}
 */
public record Prediction(String label, double score) {

    /** The prediction for a probability of positive; 0.5 and above is positive. */
    public static Prediction of(double score) {
        return new Prediction(score >= 0.5 ? "positive" : "negative", score);
    }
}
