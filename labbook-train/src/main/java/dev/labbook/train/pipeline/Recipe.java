package dev.labbook.train.pipeline;

import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.Review;
import dev.labbook.train.model.SentimentModel;
import dev.labbook.train.track.Tracker;
import java.io.PrintStream;
import java.util.List;

/** How one kind of model is trained: features, fitting, and what it logs while fitting. */
public interface Recipe {

    /**
     * Trains on {@code train}, using {@code validation} for early stopping or reporting only.
     *
     * @param out where progress goes (may be a null-printing stream)
     */
    Trained train(List<Review> train, List<Review> validation, TrainConfig config, Tracker tracker, PrintStream out);

    /** A trained model with how it got there. */
    record Trained(SentimentModel model, History history, double featureSeconds, double trainSeconds, int vocabularySize) {}

    /** The recipe for {@code model}. */
    static Recipe of(String model) {
        return switch (model) {
            case TrainConfig.NBLR -> new NbLrRecipe();
            case TrainConfig.FASTTEXT -> new FastTextRecipe();
            default -> throw dev.labbook.core.LabbookException.invalid("the %s model is not available in this build", model);
        };
    }
}
