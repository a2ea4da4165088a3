package dev.labbook.train.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Computes an {@link Evaluation} and the ROC curve from labels and scores. */
public final class Evaluator {
    private static final double CLIP = 1e-15;

    private Evaluator() {}

    /** One point of a ROC curve. */
    public record RocPoint(double falsePositiveRate, double truePositiveRate) {}

    /**
     * Evaluates {@code scores} (probabilities of positive) against {@code labels} (1 or 0),
     * predicting positive at a score of 0.5 or more.
     */
    public static Evaluation evaluate(int[] labels, double[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("labels and scores differ in length");
        }
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = scores[i] >= 0.5;
            boolean actual = labels[i] == 1;
            if (predicted) {
                if (actual) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
            double p = Math.min(1 - CLIP, Math.max(CLIP, scores[i]));
            loss -= actual ? Math.log(p) : Math.log(1 - p);
        }
        int n = labels.length;
        return new Evaluation(n, tp, fp, tn, fn, auc(labels, scores), n == 0 ? Double.NaN : loss / n);
    }

    /** ROC AUC as the Mann-Whitney statistic with average ranks for ties; NaN with one class only. */
    static double auc(int[] labels, double[] scores) {
        int n = labels.length;
        Integer[] order = sortedByScore(scores);
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** The ROC curve from (0,0) to (1,1), one point per distinct score threshold. */
    public static List<RocPoint> roc(int[] labels, double[] scores) {
        int n = labels.length;
        Integer[] order = sortedByScore(scores);
        long pos = Arrays.stream(labels).filter(l -> l == 1).count();
        long neg = n - pos;
        List<RocPoint> points = new ArrayList<>();
        points.add(new RocPoint(0, 0));
        long tp = 0;
        long fp = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (labels[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i == 0 || scores[order[i - 1]] != scores[order[i]]) {
                points.add(new RocPoint(neg == 0 ? 0 : fp / (double) neg, pos == 0 ? 0 : tp / (double) pos));
            }
        }
        return points;
    }

    private static Integer[] sortedByScore(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }
}
