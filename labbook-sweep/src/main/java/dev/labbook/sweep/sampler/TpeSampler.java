package dev.labbook.sweep.sampler;

import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.Goal;
import dev.labbook.sweep.config.TpeOptions;
import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), with Optuna's choices: random
 * trials until {@code n_startup_trials} have finished, then the best {@code min(ceil(0.1 n), 25)}
 * finished trials are "good" and the rest "bad"; {@code n_ei_candidates} points are drawn from the
 * good trials' Parzen estimator l and the one maximizing l(x)/g(x) is taken, g being the bad
 * trials' estimator. Each parameter gets its own pair of estimators unless the sweep is
 * multivariate. With the constant liar, running trials count as bad ones, so agents asking at
 * the same time are sent elsewhere; pruned trials count as bad too.
 */
public final class TpeSampler implements Sampler {
    private final SearchSpace space;
    private final Goal goal;
    private final long seed;
    private final TpeOptions options;
    private final List<Axis> axes = new ArrayList<>();

    public TpeSampler(SearchSpace space, Goal goal, long seed, TpeOptions options) {
        this.space = space;
        this.goal = goal;
        this.seed = seed;
        this.options = options;
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (!(d.distribution() instanceof Distribution.Constant)) {
                axes.add(Axis.of(d.name(), d.distribution()));
            }
        }
    }

    /** Optuna's gamma: how many of {@code n} finished trials are the good ones. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number, List<Observation> history) {
        List<Observation> complete = new ArrayList<>();
        List<Observation> bad = new ArrayList<>();
        for (Observation o : history) {
            if (o.state() == TrialState.COMPLETE && o.value() != null && !o.value().isNaN()) {
                complete.add(o);
            } else if (o.state() == TrialState.PRUNED || (options.constantLiar()
                    && (o.state() == TrialState.RUNNING || o.state() == TrialState.QUEUED))) {
                bad.add(o);
            }
        }
        if (complete.size() < options.nStartupTrials() || axes.isEmpty()) {
            // the same draws as the random sampler's, so a comparison starts from equal ground
            return Optional.of(RandomSampler.draw(space, new Random(Sampler.seedFor(seed, number, 1))));
        }
        complete.sort(Comparator.comparingDouble((Observation o) -> goal.loss(o.value())).thenComparingInt(Observation::number));
        int nGood = gamma(complete.size());
        List<Observation> good = new ArrayList<>(complete.subList(0, nGood));
        bad.addAll(complete.subList(nGood, complete.size()));
        good.sort(Comparator.comparingInt(Observation::number));
        bad.sort(Comparator.comparingInt(Observation::number));

        Random random = new Random(Sampler.seedFor(seed, number, 2));
        Map<String, Object> chosen = new LinkedHashMap<>();
        if (options.multivariate()) {
            double[] best = pick(axes, good, bad, random);
            for (int a = 0; a < axes.size(); a++) {
                chosen.put(axes.get(a).name(), axes.get(a).fromInternal(best[a]));
            }
        } else {
            for (Axis axis : axes) {
                chosen.put(axis.name(), axis.fromInternal(pick(List.of(axis), good, bad, random)[0]));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            params.put(d.name(), d.distribution() instanceof Distribution.Constant c ? c.value() : chosen.get(d.name()));
        }
        return Optional.of(params);
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
