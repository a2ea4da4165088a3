package dev.labbook.server.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Prometheus's text exposition format (0.0.4) parsed into samples, the way a scraper reads it:
 * {@code name{label="value",...} value}, comments and blank lines skipped, label values
 * unescaped. A line that does not parse fails the test.
 */
record Exposition(List<Sample> samples) {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static Exposition parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(sample(line));
        }
        return new Exposition(out);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new AssertionError("bad metric name in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                if (line.charAt(eq + 1) != '"') {
                    throw new AssertionError("unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, labels, parseValue(rest[0], line));
    }

    private static double parseValue(String v, String line) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value in: " + line, e);
                }
            }
        };
    }

    /** The samples named {@code name} whose labels include all of {@code labels} (key, value, ...). */
    List<Sample> find(String name, String... labels) {
        Predicate<Sample> match = s -> s.name().equals(name);
        for (int k = 0; k + 1 < labels.length; k += 2) {
            String key = labels[k];
            String value = labels[k + 1];
            match = match.and(s -> value.equals(s.labels().get(key)));
        }
        return samples.stream().filter(match).toList();
    }

    /** The value of the one sample that matches; fails when none or several do. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labels) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** The value of the matching sample, or 0 when there is none yet. */
    double valueOrZero(String name, String... labels) {
        List<Sample> found = find(name, labels);
        return found.isEmpty() ? 0 : value(name, labels);
    }
}
