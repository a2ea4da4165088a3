package dev.labbook.train.model;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.labbook.train.features.NgramVocabulary;
import java.util.Random;

/**
 * Trains NB-weighted logistic regression (Wang and Manning, 2012, with a logistic loss): each
 * n-gram's binary indicator is scaled by its naive-Bayes log-count ratio
 * {@code r = log((p / |p|) / (q / |q|))}, then liblinear's L2-regularized logistic regression
 * (dual solver) fits the weights.
 */
public final class NbLrTrainer {
    private final NbLrParams params;

    public NbLrTrainer(NbLrParams params) {
        this.params = params;
    }

    /**
     * Fits a model.
     *
     * @param vocabulary the n-gram vocabulary the documents were encoded with
     * @param docs per document, its sorted distinct feature ids
     * @param labels per document, 1 positive or 0 negative
     * @param seed seeds liblinear's coordinate order, so training is reproducible
     */
    public NbLrModel train(NgramVocabulary vocabulary, int[][] docs, int[] labels, long seed) {
        int v = vocabulary.size();
        double[] r = ratios(v, docs, labels);
        // one shared node per feature: its value (r) does not depend on the document, and this
        // keeps millions of nonzeros from becoming millions of objects
        FeatureNode[] nodes = new FeatureNode[v];
        for (int j = 0; j < v; j++) {
            nodes[j] = new FeatureNode(j + 1, r[j]);
        }
        FeatureNode biasNode = new FeatureNode(v + 1, 1.0);
        Problem problem = new Problem();
        problem.l = docs.length;
        problem.n = v + 1;
        problem.bias = 1.0;
        problem.y = new double[docs.length];
        problem.x = new Feature[docs.length][];
        for (int i = 0; i < docs.length; i++) {
            Feature[] x = new Feature[docs[i].length + 1];
            for (int k = 0; k < docs[i].length; k++) {
                x[k] = nodes[docs[i][k]];
            }
            x[docs[i].length] = biasNode;
            problem.x[i] = x;
            problem.y[i] = labels[i];
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR_DUAL, params.c(), params.eps());
        parameter.setRandom(new Random(seed));
        Linear.disableDebugOutput();
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // liblinear's weights score its first label; make them score "positive"
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double[] folded = new double[v];
        for (int j = 0; j < v; j++) {
            folded[j] = sign * w[j] * r[j];
        }
        return new NbLrModel(vocabulary, folded, sign * w[v]);
    }

    private double[] ratios(int v, int[][] docs, int[] labels) {
        double[] p = new double[v];
        double[] q = new double[v];
        for (int i = 0; i < docs.length; i++) {
            double[] side = labels[i] == 1 ? p : q;
            for (int f : docs[i]) {
                side[f] += 1;
            }
        }
        double a = params.alpha();
        double pSum = 0;
        double qSum = 0;
        for (int j = 0; j < v; j++) {
            pSum += p[j] + a;
            qSum += q[j] + a;
        }
        double[] r = new double[v];
        for (int j = 0; j < v; j++) {
            r[j] = Math.log(((p[j] + a) / pSum) / ((q[j] + a) / qSum));
        }
        return r;
    }
}
