package dev.labbook.sweep.sampler;

import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import dev.labbook.sweep.space.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every combination of the parameters' values, in order: the last parameter varies fastest (as
 * in W&B and {@code itertools.product}). Trial {@code n} gets combination {@code n}; after the
 * last one the grid is exhausted.
 *
 * <p>With conditional parameters the grid is a tree: a categorical parameter's value brings the
 * grid of its own parameters, so the parameter counts as the sum over its values of their
 * sub-grids' sizes, and combination {@code n} is found by walking down without listing the grid.
 */
public final class GridSampler implements Sampler {
    private final SearchSpace space;
    private final Level top;

    public GridSampler(SearchSpace space) {
        this.space = space;
        Map<SearchSpace.Condition, Level> levels = new HashMap<>();
        top = new Level();
        for (SearchSpace.Dimension d : space.dimensions()) {
            Level level = d.condition() == null ? top : levels.get(key(d.condition()));
            Node node = new Node(d.name(), values(d));
            for (Object v : node.values) {
                Level sub = new Level();
                node.branches.add(sub);
                levels.put(key(new SearchSpace.Condition(d.name(), v)), sub);
            }
            level.nodes.add(node);
        }
    }

    /** Conditions compare values normalized (1 and 1L are the same value). */
    private static SearchSpace.Condition key(SearchSpace.Condition c) {
        return new SearchSpace.Condition(c.parent(), Values.normalize(c.value()));
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
        return top.size();
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number, List<Observation> history) {
        if (number >= size()) {
            return Optional.empty();
        }
        Map<String, Object> picked = new HashMap<>();
        top.pick(number, picked);
        Map<String, Object> params = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (picked.containsKey(d.name())) {
                params.put(d.name(), picked.get(d.name()));
            }
        }
        return Optional.of(params);
    }

    /** The parameters declared side by side (at the top, or under one parent value): a product. */
    private static final class Level {
        final List<Node> nodes = new ArrayList<>();
        long size = -1;

        long size() {
            if (size < 0) {
                long n = 1;
                for (Node node : nodes) {
                    n = Math.multiplyExact(n, node.size());
                }
                size = n;
            }
            return size;
        }

        /** Combination {@code index} of this level, the last parameter varying fastest. */
        void pick(long index, Map<String, Object> out) {
            long rest = index;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                long n = nodes.get(i).size();
                nodes.get(i).pick(rest % n, out);
                rest /= n;
            }
        }
    }

    /** One parameter: its values, each with the (possibly empty) level of parameters it brings. */
    private static final class Node {
        final String name;
        final List<Object> values;
        final List<Level> branches = new ArrayList<>();

        Node(String name, List<Object> values) {
            this.name = name;
            this.values = values;
        }

        long size() {
            long n = 0;
            for (Level b : branches) {
                n = Math.addExact(n, b.size());
            }
            return n;
        }

        void pick(long index, Map<String, Object> out) {
            long rest = index;
            for (int v = 0; v < values.size(); v++) {
                long n = branches.get(v).size();
                if (rest < n) {
                    out.put(name, values.get(v));
                    branches.get(v).pick(rest, out);
                    return;
                }
                rest -= n;
            }
            throw new IllegalStateException(Objects.toString(index));
        }
    }
}
