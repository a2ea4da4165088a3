package dev.labbook.sweep.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a sweep, flattened: nested parameters ({@code parameters:} inside a
 * parameter) become dotted names ({@code optimizer.lr}), in the order the file declares them.
 * {@link #nest} turns flat values back into the nested shape for {@code ${args_json}}.
 */
public record SearchSpace(List<Dimension> dimensions) {

    /** One parameter: its dotted name and distribution. */
    public record Dimension(String name, Distribution distribution) {}

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
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

    /** True when every value of {@code params} lies in its parameter's support and none is missing. */
    public boolean contains(Map<String, Object> params) {
        if (params.size() != dimensions.size()) {
            return false;
        }
        for (Dimension d : dimensions) {
            if (!params.containsKey(d.name()) || !d.distribution().contains(params.get(d.name()))) {
                return false;
            }
        }
        return true;
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
