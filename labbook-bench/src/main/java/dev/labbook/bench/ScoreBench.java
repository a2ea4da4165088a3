package dev.labbook.bench;

import dev.labbook.train.data.ImdbLoader;
import dev.labbook.train.data.Review;
import dev.labbook.train.model.Models;
import dev.labbook.train.model.SentimentModel;
import java.nio.file.Path;
import java.util.List;

/**
 * A loop harness for the NB-LR model at prediction time (not part of {@code ./labbook bench}):
 * how long {@link Models#load} takes, and how many real IMDb test reviews one thread scores per
 * second, after a warm-up, several rounds.
 *
 * <pre>java -cp ... dev.labbook.bench.ScoreBench MODEL_DIR IMDB_ARCHIVE [REVIEWS_PER_CLASS] [ROUNDS]</pre>
 */
public final class ScoreBench {
    private ScoreBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> texts = new ImdbLoader(args.length > 2 ? Integer.parseInt(args[2]) : 1000, null)
                .load(Path.of(args[1])).test().stream().map(Review::text).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        SentimentModel model = null;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            model = Models.load(dir);
            System.out.printf("load %d: %.2f s%n", i, (System.nanoTime() - t0) / 1e9);
        }
        double sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (String t : texts) {
                sink += model.score(t);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %,d reviews in %.2f s = %,.0f reviews/s%n", r, texts.size(), s, texts.size() / s);
        }
        System.out.printf("checksum %.6f; load average %.1f%n", sink,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
