package dev.labbook.core.search;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser over one filter or one order-by string. It scans characters
 * directly instead of running a separate tokenizer, because MLflow's lexical rules depend on
 * position: {@code 1acc} is a key name after {@code metrics.} but a malformed number after
 * {@code >}, and {@code "x"} is a key on the left of an operator but a string on its right.
 *
 * <pre>
 * filter  := clause (AND clause)*
 * clause  := key op value
 * key     := part ('.' (quoted | name))?       part := word | `quoted` | "quoted"
 * op      := = | != | &gt; | &gt;= | &lt; | &lt;= | LIKE | ILIKE | IN | NOT IN
 * value   := number | 'string' | "string" | '(' string (',' string)* ','? ')'
 * orderBy := key (ASC | DESC)?
 * </pre>
 *
 * Not thread-safe; one instance parses one string.
 */
final class FilterParser extends FilterScanner {
    private static final Set<Comparator> NUMERIC_OPS = EnumSet.of(
            Comparator.EQ, Comparator.NEQ, Comparator.GT, Comparator.GTE, Comparator.LT, Comparator.LTE);
    private static final Set<Comparator> STRING_OPS = EnumSet.of(
            Comparator.EQ, Comparator.NEQ, Comparator.LIKE, Comparator.ILIKE);
    private static final Set<Comparator> LIST_OPS = EnumSet.of(Comparator.IN, Comparator.NOT_IN);

    private enum Expect { NUMBER, STRING, LIST }

    /** A key as written: its type (null when it had no prefix), its name and where it began. */
    private record Key(KeyType type, String name, int start, int end) {}

    private final SearchGrammar grammar;

    /**
     * @param what names the input in messages: {@code filter} or {@code order_by}
     */
    FilterParser(String src, SearchGrammar grammar, String what) {
        super(src, what);
        this.grammar = grammar;
    }

    /** Parses the whole string as AND-joined comparisons; the string must not be blank. */
    List<Clause> filter() {
        List<Clause> clauses = new ArrayList<>();
        while (true) {
            skipSpace();
            clauses.add(clause());
            skipSpace();
            if (atEnd()) {
                return clauses;
            }
            int at = pos;
            String word = isWordChar(peek()) ? word() : "";
            if (word.equalsIgnoreCase("AND")) {
                skipSpace();
                if (atEnd()) {
                    throw error(at, "AND must be followed by another comparison");
                }
            } else if (word.equalsIgnoreCase("OR")) {
                throw error(at, "OR is not supported; comparisons can only be joined with AND "
                        + "(run one search per alternative instead)");
            } else {
                throw error(at, "expected AND or the end of the %s but found %s", what, near(at));
            }
        }
    }

    /** Parses the whole string as one order-by element: a key and an optional ASC or DESC. */
    OrderBy orderBy() {
        skipSpace();
        if (atEnd()) {
            throw error(pos, "expected a key such as metrics.accuracy, optionally followed by ASC or DESC");
        }
        Key key = key();
        boolean ascending = true;
        skipSpace();
        if (!atEnd()) {
            int at = pos;
            String word = isWordChar(peek()) ? word() : "";
            if (word.equalsIgnoreCase("DESC")) {
                ascending = false;
            } else if (!word.equalsIgnoreCase("ASC")) {
                throw error(at, "expected ASC, DESC or the end of the order_by element but found %s", near(at));
            }
            skipSpace();
            if (!atEnd()) {
                throw error(pos, "unexpected %s after %s; each order_by element sorts by one key",
                        near(pos), word.toUpperCase(Locale.ROOT));
            }
        }
        KeyType type = key.type() == null ? KeyType.ATTRIBUTE : key.type();
        if (!grammar.acceptsInOrderBy(type)) {
            throw error(key.start(), "%s cannot be sorted by %s.* keys; sort by an attribute: %s",
                    subject(), SearchGrammar.canonicalPrefix(type), grammar.orderByAttributeNames());
        }
        String name = key.name();
        if (type == KeyType.ATTRIBUTE) {
            name = grammar.orderByAttribute(key.name());
            if (name == null) {
                throw error(key.start(), "%s cannot be sorted by attribute '%s'; valid attributes are %s%s",
                        subject(), key.name(), grammar.orderByAttributeNames(), prefixHint(key));
            }
        }
        return new OrderBy(type, name, ascending);
    }

    private Clause clause() {
        if (atEnd()) {
            throw error(pos, "expected a comparison such as metrics.accuracy > 0.9");
        }
        Key key = key();
        if (key.type() == null && (key.name().equalsIgnoreCase("AND") || key.name().equalsIgnoreCase("OR"))) {
            throw error(key.start(), "expected a comparison but found the keyword %s", key.name().toUpperCase(Locale.ROOT));
        }
        KeyType type = key.type() == null ? KeyType.ATTRIBUTE : key.type();
        String name = key.name();
        Attribute attribute = null;
        if (type == KeyType.ATTRIBUTE) {
            attribute = grammar.attribute(name);
            if (attribute == null) {
                throw error(key.start(), "unknown attribute '%s' for %s; valid attributes are %s%s",
                        name, subject(), grammar.attributeNames(), prefixHint(key));
            }
            name = attribute.name();
        } else if (type == KeyType.DATASET) {
            name = name.toLowerCase(Locale.ROOT);
            if (!SearchGrammar.DATASET_FIELDS.contains(name)) {
                throw error(key.start(), "unknown dataset field '%s'; use datasets.name, datasets.digest or datasets.context", key.name());
            }
        }
        skipSpace();
        int opAt = pos;
        Comparator op = comparator(key);
        Expect expect = expectation(type, attribute, op, key, opAt);
        skipSpace();
        Object value = switch (expect) {
            case NUMBER -> number(key, op);
            case STRING -> string(key, op);
            case LIST -> list(key, op);
        };
        return new Clause(type, name, op, value);
    }

    /** Reads {@code prefix.name}, {@code prefix."quoted name"} or an unprefixed attribute. */
    private Key key() {
        int start = pos;
        char c = peek();
        String first;
        if (c == '`' || c == '"') {
            first = quoted("quoted key");
        } else if (isWordChar(c)) {
            first = word();
        } else if (c == '(') {
            throw error(pos, "parentheses may only enclose the list of IN or NOT IN; "
                    + "comparisons cannot be grouped (they are all joined with AND)");
        } else {
            throw error(pos, "expected a key such as metrics.accuracy but found %s", near(pos));
        }
        if (atEnd() || peek() != '.') {
            return new Key(null, first, start, pos);
        }
        pos++; // the dot between prefix and name
        KeyType type = grammar.prefix(first);
        if (type == null || !grammar.acceptsInFilter(type)) {
            KeyType elsewhere = type != null ? type : SearchGrammar.RUNS.prefix(first);
            if (elsewhere != null) {
                throw error(start, "%s.* keys are not supported when searching %s; use one of %s",
                        first, subject(), grammar.prefixNames());
            }
            throw error(start, "unknown key type '%s'; use one of %s", first, grammar.prefixNames());
        }
        String name;
        if (!atEnd() && (peek() == '`' || peek() == '"' || peek() == '\'')) {
            name = quoted("quoted key");
        } else {
            int nameStart = pos;
            while (!atEnd() && isKeyChar(peek())) {
                pos++;
            }
            name = src.substring(nameStart, pos);
        }
        if (name.isEmpty()) {
            throw error(pos, "expected a key name after '%s.' (quote names with spaces: %s.\"my key\")", first, first);
        }
        return new Key(type, name, start, pos);
    }

    private Comparator comparator(Key key) {
        int at = pos;
        if (atEnd()) {
            throw error(at, "expected an operator after %s but the %s ended", keyText(key), what);
        }
        char c = peek();
        switch (c) {
            case '=':
                pos++;
                if (!atEnd() && peek() == '=') {
                    throw error(at, "'==' is not an operator; use '='");
                }
                return Comparator.EQ;
            case '!':
                pos++;
                if (!atEnd() && peek() == '=') {
                    pos++;
                    return Comparator.NEQ;
                }
                throw error(at, "'!' must be followed by '=' (the not-equal operator is '!=')");
            case '<':
                pos++;
                if (!atEnd() && peek() == '=') {
                    pos++;
                    return Comparator.LTE;
                }
                if (!atEnd() && peek() == '>') {
                    throw error(at, "'<>' is not supported; use '!='");
                }
                return Comparator.LT;
            case '>':
                pos++;
                if (!atEnd() && peek() == '=') {
                    pos++;
                    return Comparator.GTE;
                }
                return Comparator.GT;
            default:
                break;
        }
        String word = isWordChar(c) ? word().toUpperCase(Locale.ROOT) : "";
        switch (word) {
            case "LIKE": return Comparator.LIKE;
            case "ILIKE": return Comparator.ILIKE;
            case "IN": return Comparator.IN;
            case "NOT":
                skipSpace();
                int inAt = pos;
                if (!atEnd() && isWordChar(peek()) && word().equalsIgnoreCase("IN")) {
                    return Comparator.NOT_IN;
                }
                throw error(inAt, "NOT is only supported as NOT IN");
            default:
                throw error(at, "expected an operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN) after %s but found %s",
                        keyText(key), near(at));
        }
    }

    /** Decides what kind of value the key and operator need, rejecting operators the key does not support. */
    private Expect expectation(KeyType type, Attribute attribute, Comparator op, Key key, int opAt) {
        boolean numeric = type == KeyType.METRIC || (attribute != null && attribute.numeric());
        if (numeric) {
            if (NUMERIC_OPS.contains(op)) {
                return Expect.NUMBER;
            }
            throw error(opAt, "operator %s is not valid for %s, which compares as a number; use one of =, !=, >, >=, <, <=",
                    op.symbol(), keyText(key));
        }
        if (STRING_OPS.contains(op)) {
            return Expect.STRING;
        }
        boolean lists = type != KeyType.ATTRIBUTE || attribute.listComparable();
        if (LIST_OPS.contains(op) && lists) {
            return Expect.LIST;
        }
        if (LIST_OPS.contains(op)) {
            throw error(opAt, "operator %s is not valid for %s; among attributes only run_id can be compared with a list",
                    op.symbol(), keyText(key));
        }
        throw error(opAt, "operator %s is not valid for %s, which compares as a string; use one of =, !=, LIKE, ILIKE%s",
                op.symbol(), keyText(key), lists ? ", IN, NOT IN" : "");
    }

    private Double number(Key key, Comparator op) {
        int start = pos;
        if (atEnd()) {
            throw error(start, "expected a number after %s %s but the %s ended", keyText(key), op.symbol(), what);
        }
        char c = peek();
        if (c == '\'' || c == '"') {
            String s = quoted("string");
            throw error(start, "%s compares as a number; write the value unquoted instead of the string '%s'", keyText(key), s);
        }
        if (c == '+' || c == '-') {
            pos++;
        }
        int digits = skipDigits();
        if (!atEnd() && peek() == '.') {
            pos++;
            digits += skipDigits();
        }
        if (digits == 0) {
            throw error(start, "expected a number after %s %s but found %s", keyText(key), op.symbol(), near(start));
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            pos++;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                pos++;
            }
            if (skipDigits() == 0) {
                throw error(start, "malformed number %s: the exponent has no digits", near(start));
            }
        }
        if (!atEnd() && (isKeyChar(peek()) || peek() == '\'' || peek() == '"')) {
            throw error(start, "malformed number %s", near(start));
        }
        return Double.valueOf(src.substring(start, pos));
    }

    private String string(Key key, Comparator op) {
        if (atEnd()) {
            throw error(pos, "expected a quoted string after %s %s but the %s ended", keyText(key), op.symbol(), what);
        }
        char c = peek();
        if (c != '\'' && c != '"') {
            int at = pos;
            String token = near(at);
            throw error(at, "%s compares as a string, so its value must be quoted (e.g. '%s') but found %s",
                    keyText(key), bareToken(at), token);
        }
        return quoted("string");
    }

    private List<String> list(Key key, Comparator op) {
        int open = pos;
        if (atEnd() || peek() != '(') {
            throw error(pos, "%s needs a parenthesised list of quoted strings, e.g. %s %s ('a', 'b')",
                    op.symbol(), keyText(key), op.symbol());
        }
        pos++;
        skipSpace();
        if (!atEnd() && peek() == ')') {
            throw error(open, "the list after %s is empty; give at least one quoted string", op.symbol());
        }
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpace();
            if (atEnd()) {
                throw error(open, "unclosed '(': the list after %s needs a closing ')'", op.symbol());
            }
            char c = peek();
            if (c != '\'' && c != '"') {
                throw error(pos, "lists may only contain quoted strings but found %s", near(pos));
            }
            values.add(quoted("string"));
            skipSpace();
            if (atEnd()) {
                throw error(open, "unclosed '(': the list after %s needs a closing ')'", op.symbol());
            }
            c = peek();
            pos++;
            if (c == ')') {
                return List.copyOf(values);
            }
            if (c != ',') {
                throw error(pos - 1, "expected ',' or ')' in the list after %s but found %s", op.symbol(), near(pos - 1));
            }
            skipSpace();
            if (!atEnd() && peek() == ')') { // a trailing comma, as in Python's ('a',)
                pos++;
                return List.copyOf(values);
            }
        }
    }


    private String subject() {
        return grammar.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private String keyText(Key key) {
        return src.substring(key.start(), key.end());
    }

    /** Suggests a prefix when an unprefixed name is not an attribute but probably a metric. */
    private String prefixHint(Key key) {
        if (key.type() != null) {
            return "";
        }
        return grammar == SearchGrammar.RUNS || grammar == SearchGrammar.LOGGED_MODELS
                ? "; metrics, params and tags need a prefix, e.g. metrics." + key.name()
                : "; tags need a prefix, e.g. tags." + key.name();
    }
}
