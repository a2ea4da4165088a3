package dev.labbook.train.eval;

import dev.labbook.train.data.Review;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The most confident mistakes of a classifier: where it was surest and wrong. */
public final class Mistakes {
    private Mistakes() {}

    /** A misclassified text with the score it got. */
    public record Mistake(String id, int label, double score, String text) {
        /** How far the score is from being right: 1 is as wrong as possible. */
        public double confidence() {
            return label == 1 ? 1 - score : score;
        }
    }

    /** The {@code limit} misclassified reviews with the most confident wrong scores. */
    public static List<Mistake> top(List<Review> reviews, double[] scores, int limit) {
        List<Mistake> wrong = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            Review r = reviews.get(i);
            if ((scores[i] >= 0.5) != (r.label() == Review.POSITIVE)) {
                wrong.add(new Mistake(r.id(), r.label(), scores[i], r.text()));
            }
        }
        wrong.sort(Comparator.comparingDouble(Mistake::confidence).reversed().thenComparing(Mistake::id));
        return wrong.subList(0, Math.min(limit, wrong.size()));
    }

    /** The mistakes as a TSV table: id, label, score, text (tabs and newlines in text replaced). */
    public static String toTsv(List<Mistake> mistakes) {
        StringBuilder sb = new StringBuilder("id\tlabel\tscore\ttext\n");
        for (Mistake m : mistakes) {
            sb.append(m.id()).append('\t').append(m.label() == 1 ? "positive" : "negative").append('\t')
                    .append(String.format(java.util.Locale.ROOT, "%.6f", m.score())).append('\t')
                    .append(m.text().replaceAll("[\\t\\r\\n]+", " ")).append('\n');
        }
        return sb.toString();
    }
}
