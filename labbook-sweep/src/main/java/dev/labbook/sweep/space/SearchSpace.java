package dev.labbook.sweep.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parameters of a sweep, flattened: nested parameters ({@code parameters:} inside a
 * parameter) become dotted names ({@code optimizer.lr}), in the order the file declares them.
 * {@link #nest} turns flat values back into the nested shape for {@code ${args_json}}.
 *
 * <p>A parameter may be conditional: it exists only when a categorical parameter declared before
 * it took one value (the sweep file's {@code values: [{value: sgd, parameters: {...}}]}). A
 * trial's parameters hold exactly its active ones; {@link #isActive} decides which, walking the
 * dimensions in order, so parents are always decided before their children.
 */
public record SearchSpace(List<Dimension> dimensions) {

    /**
     * One parameter: its dotted name, distribution and, for a conditional parameter, the parent
     * value it exists under (null for a parameter every trial has).
     */
    public record Dimension(String name, Distribution distribution, Condition condition) {
        public Dimension(String name, Distribution distribution) {
            this(name, distribution, null);
        }
    }

    /** "Only when parameter {@code parent} is {@code value}." */
    public record Condition(String parent, Object value) {
        /** True when {@code params} give the parent this condition's value. */
        public boolean holds(Map<String, Object> params) {
            return params.containsKey(parent)
                    && Objects.equals(Values.normalize(params.get(parent)), Values.normalize(value));
        }
    }

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
        Set<String> seen = new HashSet<>();
        for (Dimension d : dimensions) {
            if (d.condition() != null && !seen.contains(d.condition().parent())) {
                throw new IllegalArgumentException(d.name() + " depends on " + d.condition().parent() + ", declared after it or not at all");
            }
            if (!seen.add(d.name())) {
                throw new IllegalArgumentException("parameter " + d.name() + " is declared twice");
            }
        }
    }

    /**
     * True when {@code d} exists for a trial whose earlier parameters are {@code params}: it is
     * unconditional, or its parent is present (so itself active) with the condition's value.
     */
    public static boolean isActive(Dimension d, Map<String, Object> params) {
        return d.condition() == null || d.condition().holds(params);
    }

    /** True when some parameter is conditional. */
    public boolean isConditional() {
        return dimensions.stream().anyMatch(d -> d.condition() != null);
    }

    /** The dimension called {@code name}; throws when there is none. */
    public Dimension dimension(String name) {
        for (Dimension d : dimensions) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** The names, in declaration order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        dimensions.forEach(d -> out.add(d.name()));
        return out;
    }

    /**
     * True when {@code params} hold exactly the active parameters, each value in its parameter's
     * support: none missing, no inactive or unknown one.
     */
    public boolean contains(Map<String, Object> params) {
        int active = 0;
        for (Dimension d : dimensions) {
            if (!isActive(d, params)) {
                if (params.containsKey(d.name())) {
                    return false;
                }
                continue;
            }
            active++;
            if (!params.containsKey(d.name()) || !d.distribution().contains(params.get(d.name()))) {
                return false;
            }
        }
        return active == params.size();
    }

    /** Flat dotted names to nested maps: {@code {"a.b": 1}} becomes {@code {"a": {"b": 1}}}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> nest(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return root;
    }
}
