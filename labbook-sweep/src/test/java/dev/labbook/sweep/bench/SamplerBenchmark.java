package dev.labbook.sweep.bench;

import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.sampler.Observation;
import dev.labbook.sweep.sampler.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Not a test: the figures of the README's sweep section. Median best value over 20 seeds after
 * 25, 50 and 100 trials on Branin and Hartmann-6 for random search, TPE and multivariate TPE, the
 * protocol of the Optuna figures in DESIGN.md; and the time of one TPE suggestion with 1,000
 * finished trials. Run: {@code java -cp <test classpath> dev.labbook.sweep.bench.SamplerBenchmark}.
 */
public final class SamplerBenchmark {
    private static final int SEEDS = Integer.getInteger("seeds", 20);
    private static final int TRIALS = 100;
    private static final int SEED_OFFSET = Integer.getInteger("seedOffset", 0);
    private static final String METHODS = System.getProperty("methods", "random,tpe,tpe-mv");
    /** Extra TPE settings for experiments, e.g. {@code -Dtpe=", n_ei_candidates: 48"}. */
    private static final String TPE_EXTRA = System.getProperty("tpe", "");
    private static final int[] AT = {25, 40, 50, 100};

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

    private SamplerBenchmark() {}

    static double branin(Map<String, Object> p) {
        double x1 = (Double) p.get("x1");
        double x2 = (Double) p.get("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + 5 / Math.PI * x1 - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    }

    static double hartmann6(Map<String, Object> p) {
        double f = 0;
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                double d = (Double) p.get("x" + (j + 1)) - P[i][j] * 1e-4;
                s += A[i][j] * d * d;
            }
            f -= ALPHA[i] * Math.exp(-s);
        }
        return f;
    }

    static String space(String problem, String method, long seed, boolean multivariate) {
        StringBuilder sb = new StringBuilder("method: " + method + "\nmetric: {name: y}\nseed: " + seed
                + "\ntpe: {multivariate: " + multivariate + TPE_EXTRA + "}\nparameters:\n");
        if (problem.equals("branin")) {
            sb.append("  x1: {min: -5.0, max: 10.0}\n  x2: {min: 0.0, max: 15.0}\n");
        } else {
            for (int j = 1; j <= 6; j++) {
                sb.append("  x").append(j).append(": {min: 0.0, max: 1.0}\n");
            }
        }
        return sb.toString();
    }

    static double[] bestAt(String problem, String method, long seed, boolean mv, ToDoubleFunction<Map<String, Object>> f) {
        Sampler s = Sampler.of(SweepConfigParser.parse(space(problem, method, seed, mv)));
        List<Observation> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        double[] out = new double[AT.length];
        for (int n = 0; n < TRIALS; n++) {
            Map<String, Object> p = s.suggest(n, history).orElseThrow();
            double y = f.applyAsDouble(p);
            best = Math.min(best, y);
            history.add(new Observation(n, TrialState.COMPLETE, p, y));
            for (int k = 0; k < AT.length; k++) {
                if (n + 1 == AT[k]) {
                    out[k] = best;
                }
            }
        }
        return out;
    }

    public static void main(String[] args) {
        for (String problem : new String[] {"branin", "hartmann6"}) {
            ToDoubleFunction<Map<String, Object>> f = problem.equals("branin") ? SamplerBenchmark::branin : SamplerBenchmark::hartmann6;
            for (String name : METHODS.split(",")) {
                String[] m = {name.replace("-mv", ""), String.valueOf(name.endsWith("-mv"))};
                double[][] bests = new double[AT.length][SEEDS];
                for (int seed = 0; seed < SEEDS; seed++) {
                    double[] b = bestAt(problem, m[0], SEED_OFFSET + seed, Boolean.parseBoolean(m[1]), f);
                    for (int k = 0; k < AT.length; k++) {
                        bests[k][seed] = b[k];
                    }
                }
                StringBuilder line = new StringBuilder(String.format("%-10s %-16s", problem,
                        m[0] + (m[1].equals("true") ? " multivariate" : "")));
                for (int k = 0; k < AT.length; k++) {
                    line.append(String.format("  after %3d: %.3f", AT[k], median(bests[k])));
                }
                System.out.println(line);
            }
        }
        if (!Boolean.getBoolean("noLatency")) {
            suggestLatency();
        }
    }

    /** One TPE suggestion over 1,000 finished trials of a 4-parameter space (2 floats, an int, a categorical). */
    static void suggestLatency() {
        for (boolean mv : new boolean[] {false, true}) {
            Sampler s = Sampler.of(SweepConfigParser.parse("method: tpe\nmetric: {name: y}\nseed: 1\ntpe: {multivariate: " + mv
                    + "}\nparameters:\n  a: {min: 0.0, max: 1.0}\n  b: {distribution: log_uniform_values, min: 1.0e-4, max: 1.0}\n"
                    + "  c: {min: 1, max: 64}\n  d: {values: [x, y, z]}\n"));
            List<Observation> history = new ArrayList<>();
            for (int n = 0; n < 1000; n++) {
                Map<String, Object> p = s.suggest(n, List.of()).orElseThrow(); // random-looking points, cheaply
                history.add(new Observation(n, TrialState.COMPLETE, p, (Double) p.get("a") + (Double) p.get("b")));
            }
            for (int warm = 0; warm < 200; warm++) {
                s.suggest(1000 + warm, history);
            }
            int reps = 200;
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                s.suggest(2000 + r, history);
            }
            System.out.printf("TPE%s suggestion with 1,000 finished trials: %.2f ms%n", mv ? " (multivariate)" : "",
                    (System.nanoTime() - t0) / 1e6 / reps);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
