package dev.labbook.sweep.sampler;

import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.Goal;
import dev.labbook.sweep.config.TpeOptions;
import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import dev.labbook.sweep.space.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), with Optuna's choices: random
 * trials until {@code n_startup_trials} have finished (complete or pruned), then the best
 * {@code min(ceil(0.1 n), 25)} of them are "good" and the rest "bad"; {@code n_ei_candidates}
 * points are drawn from the good trials' Parzen estimator l and the one maximizing l(x)/g(x) is
 * taken, g being the bad trials' estimator. Complete trials rank by their value, before pruned
 * ones, which rank by how far they got, then by their last value (as Optuna ranks them), so
 * sweeps whose pruner stops most trials still learn from them. With the constant liar, running
 * and queued trials count as bad ones, so agents asking at the same time are sent elsewhere.
 *
 * <p>Each parameter gets its own pair of estimators unless the sweep is multivariate, where the
 * parameters that always appear together (the unconditional ones; those under one parent value)
 * share one. A conditional parameter is drawn only when its parent took its value, and its
 * estimators fit only the trials in which it was active (Optuna's independent and group
 * handling): the good/bad split is made over all trials first, then narrowed to those.
 */
public final class TpeSampler implements Sampler {
    private final SearchSpace space;
    private final Goal goal;
    private final long seed;
    private final TpeOptions options;
    /** The modelled (non-constant) parameters by name. */
    private final Map<String, Axis> axes = new LinkedHashMap<>();
    /** Multivariate groups: the parameters sharing one condition, keyed by their first one's name. */
    private final Map<String, List<Axis>> groups = new LinkedHashMap<>();

    public TpeSampler(SearchSpace space, Goal goal, long seed, TpeOptions options) {
        this.space = space;
        this.goal = goal;
        this.seed = seed;
        this.options = options;
        Map<List<Object>, List<Axis>> byCondition = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (d.distribution() instanceof Distribution.Constant) {
                continue;
            }
            Axis axis = Axis.of(d.name(), d.distribution());
            axes.put(d.name(), axis);
            List<Object> key = d.condition() == null ? List.of()
                    : List.of(d.condition().parent(), String.valueOf(Values.normalize(d.condition().value())));
            byCondition.computeIfAbsent(key, k -> new ArrayList<>()).add(axis);
        }
        byCondition.values().forEach(g -> groups.put(g.get(0).name(), g));
    }

    /** Optuna's gamma: how many of {@code n} finished trials are the good ones. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number, List<Observation> history) {
        List<Observation> ranked = new ArrayList<>();
        List<Observation> bad = new ArrayList<>();
        for (Observation o : history) {
            if (o.state() == TrialState.COMPLETE && o.value() != null && !o.value().isNaN()) {
                ranked.add(o);
            } else if (o.state() == TrialState.PRUNED) {
                ranked.add(o);
            } else if (options.constantLiar() && (o.state() == TrialState.RUNNING || o.state() == TrialState.QUEUED)) {
                bad.add(o);
            }
        }
        if (ranked.size() < options.nStartupTrials() || axes.isEmpty()) {
            // the same draws as the random sampler's, so a comparison starts from equal ground
            return Optional.of(RandomSampler.draw(space, new Random(Sampler.seedFor(seed, number, 1))));
        }
        ranked.sort(this::compare);
        int nGood = gamma(ranked.size());
        List<Observation> good = new ArrayList<>(ranked.subList(0, nGood));
        bad.addAll(ranked.subList(nGood, ranked.size()));
        good.sort(Comparator.comparingInt(Observation::number));
        bad.sort(Comparator.comparingInt(Observation::number));

        Random random = new Random(Sampler.seedFor(seed, number, 2));
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (!SearchSpace.isActive(d, params)) {
                continue;
            }
            if (d.distribution() instanceof Distribution.Constant c) {
                params.put(d.name(), c.value());
                continue;
            }
            if (!chosen.containsKey(d.name())) {
                List<Axis> over = options.multivariate() ? groups.get(d.name()) : List.of(axes.get(d.name()));
                double[] best = pick(over, good, bad, random);
                for (int a = 0; a < over.size(); a++) {
                    chosen.put(over.get(a).name(), over.get(a).fromInternal(best[a]));
                }
            }
            params.put(d.name(), chosen.get(d.name()));
        }
        return Optional.of(params);
    }

    /**
     * Optuna's order of finished trials: complete ones by loss, then pruned ones by the step they
     * reached (further first), then by their last value (a NaN or missing value last).
     */
    private int compare(Observation a, Observation b) {
        boolean ca = a.state() == TrialState.COMPLETE;
        boolean cb = b.state() == TrialState.COMPLETE;
        if (ca != cb) {
            return ca ? -1 : 1;
        }
        if (!ca) {
            long sa = a.step() == null || a.value() == null ? Long.MIN_VALUE : a.step();
            long sb = b.step() == null || b.value() == null ? Long.MIN_VALUE : b.step();
            if (sa != sb) {
                return Long.compare(sb, sa);
            }
        }
        int byLoss = Double.compare(loss(a), loss(b));
        return byLoss != 0 ? byLoss : Integer.compare(a.number(), b.number());
    }

    private double loss(Observation o) {
        return o.value() == null || o.value().isNaN() ? Double.POSITIVE_INFINITY : goal.loss(o.value());
    }

    /** The candidate from l with the highest l/g over {@code over}. */
    private double[] pick(List<Axis> over, List<Observation> good, List<Observation> bad, Random random) {
        ParzenEstimator l = new ParzenEstimator(over, internal(over, good), options.multivariate());
        ParzenEstimator g = new ParzenEstimator(over, internal(over, bad), options.multivariate());
        double[][] candidates = l.sample(random, options.nEiCandidates());
        double[] ll = l.logPdf(candidates);
        double[] lg = g.logPdf(candidates);
        int best = 0;
        for (int i = 1; i < candidates.length; i++) {
            if (ll[i] - lg[i] > ll[best] - lg[best]) {
                best = i;
            }
        }
        return candidates[best];
    }

    /** The observations on {@code over}, in internal space; observations outside the space are left out. */
    private static double[][] internal(List<Axis> over, List<Observation> obs) {
        List<double[]> rows = new ArrayList<>();
        for (Observation o : obs) {
            double[] row = new double[over.size()];
            boolean ok = true;
            for (int a = 0; a < over.size(); a++) {
                row[a] = over.get(a).toInternal(o.params().get(over.get(a).name()));
                ok &= !Double.isNaN(row[a]);
            }
            if (ok) {
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }
}
