package dev.labbook.train.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's quality on labeled texts, positive being the class of interest.
 *
 * @param count number of texts
 * @param tp positives predicted positive
 * @param fp negatives predicted positive
 * @param tn negatives predicted negative
 * @param fn positives predicted negative
 * @param rocAuc area under the ROC curve, ties counted half
 * @param logLoss mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]
 */
public record Evaluation(int count, int tp, int fp, int tn, int fn, double rocAuc, double logLoss) {

    /** Share of texts classified right. */
    public double accuracy() {
        return count == 0 ? Double.NaN : (tp + tn) / (double) count;
    }

    /** Share of predicted positives that are positive (NaN when nothing is predicted positive). */
    public double precision() {
        return tp + fp == 0 ? Double.NaN : tp / (double) (tp + fp);
    }

    /** Share of positives predicted positive. */
    public double recall() {
        return tp + fn == 0 ? Double.NaN : tp / (double) (tp + fn);
    }

    /** Harmonic mean of precision and recall. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * The evaluation as run metrics, keys prefixed (e.g. {@code test_accuracy}); the confusion
     * matrix is logged as its four counts.
     */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "accuracy", accuracy());
        m.put(prefix + "precision", precision());
        m.put(prefix + "recall", recall());
        m.put(prefix + "f1", f1());
        m.put(prefix + "roc_auc", rocAuc);
        m.put(prefix + "log_loss", logLoss);
        m.put(prefix + "tp", (double) tp);
        m.put(prefix + "fp", (double) fp);
        m.put(prefix + "tn", (double) tn);
        m.put(prefix + "fn", (double) fn);
        return m;
    }
}
