package dev.labbook.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded, reproducible splits of a list of reviews. */
public final class Splits {
    private Splits() {}

    /** Two parts of a list: the first keeps the rest, the second holds the carved-out fraction. */
    public record Split(List<Review> rest, List<Review> carved) {}

    /**
     * Carves {@code fraction} of {@code reviews} out, chosen by a shuffle seeded with
     * {@code seed}; both parts keep the input's order so results do not depend on the shuffle
     * beyond which items were picked.
     */
    public static Split carve(List<Review> reviews, double fraction, long seed) {
        int n = reviews.size();
        int k = (int) Math.round(n * fraction);
        int[] order = shuffled(n, seed);
        boolean[] picked = new boolean[n];
        for (int i = 0; i < k; i++) {
            picked[order[i]] = true;
        }
        List<Review> rest = new ArrayList<>(n - k);
        List<Review> carved = new ArrayList<>(k);
        for (int i = 0; i < n; i++) {
            (picked[i] ? carved : rest).add(reviews.get(i));
        }
        return new Split(rest, carved);
    }

    /** A permutation of 0..n-1, the same for the same seed (Fisher-Yates over java.util.Random). */
    public static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
