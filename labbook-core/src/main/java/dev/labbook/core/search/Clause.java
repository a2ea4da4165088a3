package dev.labbook.core.search;

import java.util.List;

/**
 * One comparison of a filter, e.g. {@code metrics.acc > 0.9}.
 *
 * @param key the key without its prefix, unquoted ({@code acc}); for attributes the canonical
 *     attribute name ({@code run_id}, {@code start_time}, ...)
 * @param value a {@link Double} for numeric comparisons, a {@link String} for string
 *     comparisons, a {@code List<String>} for {@code IN} and {@code NOT IN}
 */
public record Clause(KeyType type, String key, Comparator comparator, Object value) {

    /** The value of a numeric comparison. */
    public double number() {
        return (Double) value;
    }

    /** The value of a string comparison. */
    public String string() {
        return (String) value;
    }

    /** The values of an {@code IN} or {@code NOT IN} comparison. */
    @SuppressWarnings("unchecked")
    public List<String> strings() {
        return (List<String>) value;
    }
}
