package dev.labbook.train.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A trained sentiment classifier: text in, the probability that it is positive out. Saved models
 * carry a descriptor ({@link ModelDescriptor}) so {@link Models#load} can bring them back.
 */
public interface SentimentModel {

    /** The flavor, e.g. {@code nblr} or {@code fasttext}. */
    String flavor();

    /** The probability that {@code text} is positive. */
    double score(String text);

    /** Scores many texts; implementations may batch or parallelize. */
    default double[] scoreAll(List<String> texts) {
        double[] out = new double[texts.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = score(texts.get(i)));
        return out;
    }

    /** The label and score of {@code text}. */
    default Prediction predict(String text) {
        return Prediction.of(score(text));
    }

    /** Writes the model's files and its descriptor into {@code dir} (created if needed). */
    void save(Path dir) throws IOException;
}
