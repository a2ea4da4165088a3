package dev.labbook.sweep.importance;

import java.util.Arrays;
import java.util.Random;

/**
 * A regression tree (CART: splits minimizing the squared error, leaves predicting their mean),
 * trying {@code mtry} random features at each node as a random forest's trees do. Stored as
 * arrays: node k splits on {@code feature[k] <= threshold[k]} into {@code left[k]} and
 * {@code right[k]}, or is a leaf ({@code feature[k] < 0}) predicting {@code value[k]}.
 */
final class Tree {
    private int[] feature = new int[16];
    private double[] threshold = new double[16];
    private int[] left = new int[16];
    private int[] right = new int[16];
    private double[] value = new double[16];
    private int size;

    private Tree() {}

    /** Fits a tree to the rows {@code sample} (a bootstrap sample: rows may repeat). */
    static Tree fit(double[][] x, double[] y, int[] sample, int mtry, int minLeaf, int maxDepth, Random random) {
        Tree t = new Tree();
        t.grow(x, y, sample.clone(), 0, sample.length, 0, mtry, minLeaf, maxDepth, random);
        return t;
    }

    double predict(double[] point) {
        int k = 0;
        while (feature[k] >= 0) {
            k = point[feature[k]] <= threshold[k] ? left[k] : right[k];
        }
        return value[k];
    }

    private int grow(double[][] x, double[] y, int[] rows, int from, int to, int depth, int mtry, int minLeaf, int maxDepth,
            Random random) {
        int node = add();
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[rows[i]];
        }
        value[node] = sum / (to - from);
        feature[node] = -1;
        if (depth >= maxDepth || to - from < 2 * minLeaf) {
            return node;
        }
        int d = x[0].length;
        int[] features = new int[d];
        for (int j = 0; j < d; j++) {
            features[j] = j;
        }
        for (int j = 0; j < mtry; j++) { // a partial shuffle picks mtry features
            int k = j + random.nextInt(d - j);
            int s = features[j];
            features[j] = features[k];
            features[k] = s;
        }
        int bestFeature = -1;
        double bestThreshold = 0;
        double bestGain = 1e-12;
        Integer[] order = new Integer[to - from];
        for (int f = 0; f < mtry; f++) {
            int j = features[f];
            for (int i = from; i < to; i++) {
                order[i - from] = rows[i];
            }
            Arrays.sort(order, (a, b) -> Double.compare(x[a][j], x[b][j]));
            double total = 0;
            double totalSq = 0;
            for (Integer r : order) {
                total += y[r];
                totalSq += y[r] * y[r];
            }
            int n = order.length;
            double parentSse = totalSq - total * total / n;
            double leftSum = 0;
            double leftSq = 0;
            for (int i = 0; i < n - 1; i++) {
                leftSum += y[order[i]];
                leftSq += y[order[i]] * y[order[i]];
                int nl = i + 1;
                if (nl < minLeaf || n - nl < minLeaf || x[order[i]][j] == x[order[i + 1]][j]) {
                    continue;
                }
                double rightSum = total - leftSum;
                double sse = (leftSq - leftSum * leftSum / nl) + (totalSq - leftSq - rightSum * rightSum / (n - nl));
                double gain = parentSse - sse;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestFeature = j;
                    bestThreshold = 0.5 * (x[order[i]][j] + x[order[i + 1]][j]);
                }
            }
        }
        if (bestFeature < 0) {
            return node;
        }
        // partition rows[from, to) by the split, in place
        int mid = from;
        for (int i = from; i < to; i++) {
            if (x[rows[i]][bestFeature] <= bestThreshold) {
                int s = rows[mid];
                rows[mid] = rows[i];
                rows[i] = s;
                mid++;
            }
        }
        feature[node] = bestFeature;
        threshold[node] = bestThreshold;
        int l = grow(x, y, rows, from, mid, depth + 1, mtry, minLeaf, maxDepth, random);
        left[node] = l;
        int r = grow(x, y, rows, mid, to, depth + 1, mtry, minLeaf, maxDepth, random);
        right[node] = r;
        return node;
    }

    private int add() {
        if (size == feature.length) {
            int n = size * 2;
            feature = Arrays.copyOf(feature, n);
            threshold = Arrays.copyOf(threshold, n);
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            value = Arrays.copyOf(value, n);
        }
        return size++;
    }
}
