package dev.labbook.store.jdbc;

import dev.labbook.core.search.Clause;
import java.util.List;

/** Renders one comparison of a search filter as SQL with positional arguments. */
final class SqlPredicates {
    private final Dialect dialect;

    SqlPredicates(Dialect dialect) {
        this.dialect = dialect;
    }

    /** {@code column <op> ?} for a string comparison, appending the operands to {@code args}. */
    String string(String column, Clause c, List<Object> args) {
        switch (c.comparator()) {
            case EQ -> {
                args.add(c.string());
                return column + " = ?";
            }
            case NEQ -> {
                args.add(c.string());
                return column + " <> ?";
            }
            case LIKE -> {
                args.add(dialect.likePattern(c.string()));
                return dialect.like(column);
            }
            case ILIKE -> {
                args.add(c.string());
                return dialect.ilike(column);
            }
            case IN, NOT_IN -> {
                List<String> values = c.strings();
                if (values.isEmpty()) {
                    return c.comparator() == dev.labbook.core.search.Comparator.IN ? "1 = 0" : "1 = 1";
                }
                args.addAll(values);
                String marks = "?" + ",?".repeat(values.size() - 1);
                return column + (c.comparator() == dev.labbook.core.search.Comparator.IN ? " IN (" : " NOT IN (") + marks + ")";
            }
            default -> throw new IllegalArgumentException("Not a string comparison: " + c);
        }
    }

    /** {@code column <op> ?} for a numeric comparison. */
    String number(String column, Clause c, List<Object> args) {
        args.add(c.value() instanceof Double d ? d : Double.valueOf(c.value().toString()));
        return column + " " + c.comparator().symbol().replace("!=", "<>") + " ?";
    }
}
