package dev.labbook.train.pipeline;

import dev.labbook.train.TrainConfig;
import dev.labbook.train.data.Review;
import dev.labbook.train.features.NgramVocabulary;
import dev.labbook.train.model.NbLrModel;
import dev.labbook.train.model.NbLrParams;
import dev.labbook.train.model.NbLrTrainer;
import dev.labbook.train.track.Tracker;
import java.io.PrintStream;
import java.util.List;

/** NB-weighted logistic regression: n-gram vocabulary, NB ratios, liblinear. */
final class NbLrRecipe implements Recipe {
    /** liblinear's dual solver tolerance; 0.1 is liblinear's default for this solver. */
    private static final double EPS = 0.1;
    private static final double ALPHA = 1.0;

    @Override
    public Trained train(List<Review> train, List<Review> validation, TrainConfig config, Tracker tracker, PrintStream out) {
        NbLrParams params = new NbLrParams(config.c(), config.ngramConfig(), ALPHA, EPS);
        tracker.logParams(java.util.Map.of("nb_alpha", Double.toString(ALPHA), "solver", "liblinear L2R_LR_DUAL",
                "solver_eps", Double.toString(EPS)));
        long t0 = System.nanoTime();
        out.printf("building %s n-gram features of %,d reviews...%n", config.ngramConfig().range(), train.size());
        NgramVocabulary.Built built = NgramVocabulary.build(train.stream().map(Review::text).toList(), config.ngramConfig());
        long t1 = System.nanoTime();
        out.printf("  %,d features in %.1f s; fitting liblinear (C=%s)...%n", built.vocabulary().size(), (t1 - t0) / 1e9, config.c());
        int[] labels = train.stream().mapToInt(Review::label).toArray();
        NbLrModel model = new NbLrTrainer(params).train(built.vocabulary(), built.encoded(), labels, config.seed());
        long t2 = System.nanoTime();
        out.printf("  trained in %.1f s%n", (t2 - t1) / 1e9);
        return new Trained(model, History.none(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, built.vocabulary().size());
    }
}
