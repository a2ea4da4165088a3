package dev.labbook.sweep.sampler;

import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every combination of the parameters' values, in order: the last parameter varies fastest (as
 * in W&B and {@code itertools.product}). Trial {@code n} gets combination {@code n}; after the
 * last one the grid is exhausted.
 */
public final class GridSampler implements Sampler {
    private final List<String> names = new ArrayList<>();
    private final List<List<Object>> axes = new ArrayList<>();

    public GridSampler(SearchSpace space) {
        for (SearchSpace.Dimension d : space.dimensions()) {
            names.add(d.name());
            axes.add(values(d));
        }
    }

    private static List<Object> values(SearchSpace.Dimension d) {
        Distribution dist = d.distribution();
        List<Object> out = new ArrayList<>();
        if (dist instanceof Distribution.Constant c) {
            out.add(c.value());
        } else if (dist instanceof Distribution.Categorical c) {
            out.addAll(c.values());
        } else if (dist instanceof Distribution.IntUniform u) {
            for (long v = u.min(); v <= u.max(); v++) {
                out.add(v);
            }
        } else if (dist instanceof Distribution.QUniform q) {
            long first = (long) Math.ceil(q.min() / q.q() - 1e-9);
            long last = (long) Math.floor(q.max() / q.q() + 1e-9);
            for (long k = first; k <= last; k++) {
                out.add(q.integer() ? (Object) Math.round(k * q.q()) : (Object) (k * q.q()));
            }
        } else {
            throw new IllegalArgumentException("grid search cannot enumerate " + dist.wandbName() + " (" + d.name() + ")");
        }
        return out;
    }

    /** How many combinations the grid has. */
    public long size() {
        long n = 1;
        for (List<Object> a : axes) {
            n = Math.multiplyExact(n, a.size());
        }
        return n;
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number, List<Observation> history) {
        if (number >= size()) {
            return Optional.empty();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        long rest = number;
        Object[] picked = new Object[axes.size()];
        for (int i = axes.size() - 1; i >= 0; i--) {
            int n = axes.get(i).size();
            picked[i] = axes.get(i).get((int) (rest % n));
            rest /= n;
        }
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), picked[i]);
        }
        return Optional.of(params);
    }
}
