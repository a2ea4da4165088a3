package dev.labbook.sweep.importance;

import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How much each parameter matters to the metric: permutation importance on a random forest
 * (Breiman 2001). A forest of regression trees is fitted to the trials' values; for every tree, a
 * parameter's importance is how much its error on the trials it did not see (out of bag) grows
 * when that parameter's values are shuffled among them. Importances are averaged over the trees,
 * negatives (noise) clipped to 0, and scaled to sum to 1.
 *
 * <p>Parameters are encoded as trees can split them: numbers as they are (their logarithm for
 * log distributions), categorical values by index; a conditional parameter a trial does not have
 * gets a value below all others, so "absent" is a side of a split like any other. Seeded, so the
 * same trials give the same answer.
 */
public final class ParameterImportance {
    private static final int TREES = 64;
    private static final int MIN_LEAF = 2;
    private static final int MAX_DEPTH = 16;

    /** One parameter's share of the importance, in [0, 1]. */
    public record Importance(String name, double importance) {}

    private ParameterImportance() {}

    /**
     * The importance of every non-constant parameter of {@code space}, most important first.
     *
     * @param params the trials' parameters
     * @param values the trials' metric values, one per trial
     */
    public static List<Importance> of(SearchSpace space, List<Map<String, Object>> params, double[] values, long seed) {
        List<SearchSpace.Dimension> dims = new ArrayList<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (!(d.distribution() instanceof Distribution.Constant)) {
                dims.add(d);
            }
        }
        int n = params.size();
        double[][] x = new double[n][dims.size()];
        for (int j = 0; j < dims.size(); j++) {
            encode(dims.get(j), params, x, j);
        }
        double[] scores = n < 4 || dims.isEmpty() ? new double[dims.size()] : permutationImportance(x, values, new Random(seed));
        double sum = Arrays.stream(scores).sum();
        List<Importance> out = new ArrayList<>();
        for (int j = 0; j < dims.size(); j++) {
            out.add(new Importance(dims.get(j).name(), sum > 0 ? scores[j] / sum : 0));
        }
        out.sort((a, b) -> Double.compare(b.importance(), a.importance()));
        return out;
    }

    private static void encode(SearchSpace.Dimension d, List<Map<String, Object>> params, double[][] x, int j) {
        Distribution dist = d.distribution();
        boolean log = dist instanceof Distribution.LogUniformValues || dist instanceof Distribution.QLogUniformValues
                || dist instanceof Distribution.LogNormal;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i).get(d.name());
            double e = Double.NaN;
            if (dist instanceof Distribution.Categorical c) {
                int k = v == null ? -1 : c.indexOf(v);
                e = k < 0 ? Double.NaN : k;
            } else if (v instanceof Number num) {
                e = log ? (num.doubleValue() > 0 ? Math.log(num.doubleValue()) : Double.NaN) : num.doubleValue();
            }
            x[i][j] = e;
            if (!Double.isNaN(e)) {
                min = Math.min(min, e);
                max = Math.max(max, e);
            }
        }
        double absent = min == Double.POSITIVE_INFINITY ? 0 : min - (max - min) - 1;
        for (double[] row : x) {
            if (Double.isNaN(row[j])) {
                row[j] = absent;
            }
        }
    }

    private static double[] permutationImportance(double[][] x, double[] y, Random random) {
        int n = x.length;
        int d = x[0].length;
        int mtry = Math.max(1, (int) Math.ceil(d / 3.0));
        double[] total = new double[d];
        for (int t = 0; t < TREES; t++) {
            int[] sample = new int[n];
            boolean[] inBag = new boolean[n];
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
                inBag[sample[i]] = true;
            }
            List<Integer> oob = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!inBag[i]) {
                    oob.add(i);
                }
            }
            if (oob.size() < 2) {
                continue;
            }
            Tree tree = Tree.fit(x, y, sample, mtry, MIN_LEAF, MAX_DEPTH, random);
            double base = error(tree, x, y, oob, -1, null);
            for (int j = 0; j < d; j++) {
                int[] shuffled = oob.stream().mapToInt(Integer::intValue).toArray();
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int k = random.nextInt(i + 1);
                    int s = shuffled[i];
                    shuffled[i] = shuffled[k];
                    shuffled[k] = s;
                }
                total[j] += error(tree, x, y, oob, j, shuffled) - base;
            }
        }
        for (int j = 0; j < d; j++) {
            total[j] = Math.max(0, total[j] / TREES);
        }
        return total;
    }

    /** The tree's mean squared error on {@code rows}, feature {@code j} taken from {@code from} (shuffled rows) when j >= 0. */
    private static double error(Tree tree, double[][] x, double[] y, List<Integer> rows, int j, int[] from) {
        double sse = 0;
        double[] point = new double[x[0].length];
        for (int r = 0; r < rows.size(); r++) {
            int i = rows.get(r);
            System.arraycopy(x[i], 0, point, 0, point.length);
            if (j >= 0) {
                point[j] = x[from[r]][j];
            }
            double e = tree.predict(point) - y[i];
            sse += e * e;
        }
        return sse / rows.size();
    }
}
