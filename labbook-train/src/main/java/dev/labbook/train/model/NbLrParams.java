package dev.labbook.train.model;

import dev.labbook.core.LabbookException;
import dev.labbook.train.features.NgramConfig;

/**
 * Hyperparameters of NB-weighted logistic regression.
 *
 * @param c inverse regularization strength of liblinear's L2 logistic regression, in (0, 1e6]
 * @param ngrams n-gram range, min count and vocabulary size
 * @param alpha additive smoothing of the naive-Bayes count ratios, > 0
 * @param eps the solver's stopping tolerance, > 0
 */
public record NbLrParams(double c, NgramConfig ngrams, double alpha, double eps) {
    public NbLrParams {
        if (!(c > 0 && c <= 1e6)) {
            throw LabbookException.invalid("--c must be in (0, 1e6], got %s", c);
        }
        if (!(alpha > 0)) {
            throw LabbookException.invalid("NB smoothing alpha must be > 0, got %s", alpha);
        }
        if (!(eps > 0)) {
            throw LabbookException.invalid("solver tolerance eps must be > 0, got %s", eps);
        }
    }
}
