package dev.labbook.core.search;

import dev.labbook.core.LabbookException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses MLflow search filters and order-by clauses, and evaluates SQL {@code LIKE} for stores
 * that filter in memory.
 *
 * <p>Every malformed input is answered with an {@link dev.labbook.core.ErrorCode#INVALID_PARAMETER_VALUE}
 * {@link LabbookException} whose message quotes the input, the position and what was expected.
 */
public final class Filters {
    private Filters() {}

    /**
     * Parses a filter such as {@code metrics.acc > 0.9 AND params.model = 'cnn'}.
     *
     * @param filter the filter string; null or blank means no filter
     * @param grammar which search endpoint the filter is for
     * @return the comparisons in the order written; empty for no filter
     * @throws LabbookException INVALID_PARAMETER_VALUE when the filter is malformed or uses a
     *     key, operator or value the grammar does not accept
     */
    public static List<Clause> parse(String filter, SearchGrammar grammar) {
        Objects.requireNonNull(grammar, "grammar");
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return List.copyOf(new FilterParser(filter, grammar, "filter").filter());
    }

    /**
     * Parses the {@code order_by} list of a search, each element like {@code metrics.acc DESC},
     * {@code `metrics`.`val loss` ASC} or {@code start_time}. Ascending unless DESC is given.
     * Attribute aliases are resolved ({@code created} becomes {@code start_time}).
     *
     * @param orderBy the elements; null means no ordering
     * @throws LabbookException INVALID_PARAMETER_VALUE for an empty, malformed or unsupported element
     */
    public static List<OrderBy> parseOrderBy(List<String> orderBy, SearchGrammar grammar) {
        Objects.requireNonNull(grammar, "grammar");
        if (orderBy == null || orderBy.isEmpty()) {
            return List.of();
        }
        List<OrderBy> result = new ArrayList<>(orderBy.size());
        for (int i = 0; i < orderBy.size(); i++) {
            String element = orderBy.get(i);
            if (element == null || element.isBlank()) {
                throw LabbookException.invalid("Invalid order_by: element %d is empty; expected a key such as "
                        + "metrics.accuracy, optionally followed by ASC or DESC", i);
            }
            result.add(new FilterParser(element, grammar, "order_by").orderBy());
        }
        return List.copyOf(result);
    }

    /**
     * SQL {@code LIKE}: {@code %} matches any run of characters (also none), {@code _} exactly
     * one character; everything else matches itself. There is no escape character, as in
     * MLflow's own in-memory filtering and SQLite's default.
     *
     * @param value the text to test; null never matches
     * @param pattern the LIKE pattern
     * @param caseInsensitive true for {@code ILIKE}
     */
    public static boolean like(String value, String pattern, boolean caseInsensitive) {
        if (value == null || pattern == null) {
            return false;
        }
        // Greedy matching with backtracking to the last '%': linear for typical patterns and
        // O(n*m) at worst, without the allocation or the escaping pitfalls of a regex.
        int v = 0;
        int p = 0;
        int starP = -1;
        int starV = 0;
        int vn = value.length();
        int pn = pattern.length();
        while (v < vn) {
            if (p < pn && pattern.charAt(p) == '%') {
                starP = p++;
                starV = v;
            } else if (p < pn && pattern.charAt(p) == '_') {
                // '_' is one character, so it takes both halves of a surrogate pair.
                v += Character.isHighSurrogate(value.charAt(v)) && v + 1 < vn
                        && Character.isLowSurrogate(value.charAt(v + 1)) ? 2 : 1;
                p++;
            } else if (p < pn && same(value.charAt(v), pattern.charAt(p), caseInsensitive)) {
                v++;
                p++;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pn && pattern.charAt(p) == '%') {
            p++;
        }
        return p == pn;
    }

    private static boolean same(char a, char b, boolean caseInsensitive) {
        if (a == b) {
            return true;
        }
        if (!caseInsensitive) {
            return false;
        }
        // Upper then lower case, as String.equalsIgnoreCase does, to catch scripts whose
        // case mappings are not symmetric.
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }
}
