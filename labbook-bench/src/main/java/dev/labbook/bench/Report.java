package dev.labbook.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of the results table, printed as markdown. */
final class Report {
    /** How a measured figure compares with its target. */
    enum Verdict {
        PASS, FAIL, INFO, SKIPPED;

        String label() {
            return switch (this) {
                case PASS -> "pass";
                case FAIL -> "**FAIL**";
                case INFO -> "-";
                case SKIPPED -> "skipped";
            };
        }
    }

    record Row(String measurement, String target, String median, String spread, int reps, Verdict verdict, String note) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
        System.out.printf("  -> %s: %s (%s, n=%d) %s%n", row.measurement(), row.median(), row.spread(), row.reps(),
                row.verdict() == Verdict.INFO ? "" : row.verdict().label());
        System.out.flush();
    }

    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    boolean allPassed() {
        return rows.stream().noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    void print(PrintStream out) {
        out.println("| measurement | target | median | spread (min - max) | n | result |");
        out.println("|---|---|---:|---|---:|---|");
        for (Row r : rows) {
            out.printf("| %s | %s | %s | %s | %d | %s |%n", r.measurement(), r.target(), r.median(), r.spread(),
                    r.reps(), r.verdict().label() + (r.note() == null ? "" : " " + r.note()));
        }
        if (!notes.isEmpty()) {
            out.println();
            for (String n : notes) {
                out.println("- " + n);
            }
        }
    }

    /** {@code 412k/s}-style rate. */
    static String rate(double perSecond, String unit) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM %s/s", perSecond / 1e6, unit);
        }
        return String.format(Locale.ROOT, "%.0fk %s/s", perSecond / 1e3, unit);
    }

    static String rateSpread(Samples s) {
        return String.format(Locale.ROOT, "%.0fk - %.0fk", s.min() / 1e3, s.max() / 1e3);
    }

    static String millis(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String millisSpread(Samples s) {
        return millis(s.min()) + " - " + millis(s.max());
    }

    static String mb(double mb) {
        return String.format(Locale.ROOT, "%.0f MB", mb);
    }
}
