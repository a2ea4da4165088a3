package dev.labbook.core.search;

/**
 * A searchable attribute of one {@link SearchGrammar}: its canonical name, whether it compares
 * as a number, and whether it may be compared with a list ({@code IN}, {@code NOT IN}).
 *
 * @param name the canonical name, as it appears in {@link Clause#key()}
 * @param numeric true for timestamps and version numbers, which take {@code = != > >= < <=}
 * @param listComparable true when {@code IN} and {@code NOT IN} are allowed (MLflow allows them
 *     for {@code run_id} only)
 */
public record Attribute(String name, boolean numeric, boolean listComparable) {

    static Attribute string(String name) {
        return new Attribute(name, false, false);
    }

    static Attribute list(String name) {
        return new Attribute(name, false, true);
    }

    static Attribute number(String name) {
        return new Attribute(name, true, false);
    }
}
