package dev.labbook.train.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads labeled texts from a CSV, TSV or JSONL file (for example Yelp reviews), one text per row
 * with its label in another column. Such files have no test part, so one is carved out with the
 * run's seed.
 */
public final class TabularLoader {
    private static final Set<String> POSITIVE = Set.of("1", "pos", "positive", "true", "yes");
    private static final Set<String> NEGATIVE = Set.of("0", "-1", "neg", "negative", "false", "no");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String textColumn;
    private final String labelColumn;
    private final double testFraction;
    private final long seed;

    /**
     * @param testFraction the share of rows held out as the test part, in (0, 1)
     * @param seed seeds the choice of test rows
     */
    public TabularLoader(String textColumn, String labelColumn, double testFraction, long seed) {
        this.textColumn = textColumn;
        this.labelColumn = labelColumn;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /** Whether the file name says CSV, TSV or JSONL. */
    public static boolean recognizes(Path path) {
        return format(path) != null;
    }

    private static String format(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return "tsv";
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return "jsonl";
        }
        return null;
    }

    /** Loads the file, splits it into train and test parts, and checks both hold both classes. */
    public LabeledData load(Path path) {
        String format = format(path);
        if (format == null) {
            throw LabbookException.invalid("cannot tell the format of %s: name it .csv, .tsv or .jsonl", path);
        }
        if (!Files.isRegularFile(path)) {
            throw LabbookException.notFound("no data file at %s", path);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Review> rows = format.equals("jsonl") ? jsonl(path, text) : delimited(path, text, format.equals("csv"));
        if (rows.isEmpty()) {
            throw LabbookException.invalid("%s holds no labeled texts", path);
        }
        Splits.Split split = Splits.carve(rows, testFraction, seed);
        String digest = HexFormat.of().formatHex(Hashing.sha256().digest(bytes));
        DataInfo info = new DataInfo(stem(path), digest, digest, bytes.length, path.toAbsolutePath().toString(), format);
        return new LabeledData(split.rest(), split.carved(), info).requireUsable();
    }

    private List<Review> delimited(Path path, String text, boolean csv) {
        CsvParser parser = new CsvParser(text, csv ? ',' : '\t', csv);
        List<String> header = parser.next();
        if (header == null) {
            return List.of();
        }
        int textAt = column(path, header, textColumn);
        int labelAt = column(path, header, labelColumn);
        List<Review> rows = new ArrayList<>();
        for (int line = parser.line(); ; line = parser.line()) {
            List<String> fields = parser.next();
            if (fields == null) {
                return rows;
            }
            if (fields.size() <= Math.max(textAt, labelAt)) {
                throw LabbookException.invalid("%s line %d has %d fields; the header has %d", path, line, fields.size(), header.size());
            }
            rows.add(new Review("line-" + line, fields.get(textAt), label(path, line, fields.get(labelAt))));
        }
    }

    private static int column(Path path, List<String> header, String name) {
        int at = header.indexOf(name);
        if (at < 0) {
            throw LabbookException.invalid("%s has no column '%s'; its columns are %s (choose with --text-column/--label-column)",
                    path, name, header);
        }
        return at;
    }

    private List<Review> jsonl(Path path, String text) {
        List<Review> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw LabbookException.invalid("%s line %d is not JSON: %s", path, i + 1, e.getOriginalMessage());
            }
            JsonNode t = node.get(textColumn);
            JsonNode l = node.get(labelColumn);
            if (t == null || l == null) {
                throw LabbookException.invalid("%s line %d lacks '%s' or '%s' (choose with --text-column/--label-column)",
                        path, i + 1, textColumn, labelColumn);
            }
            rows.add(new Review("line-" + (i + 1), t.asText(), label(path, i + 1, l.asText())));
        }
        return rows;
    }

    private static int label(Path path, int line, String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (POSITIVE.contains(v)) {
            return Review.POSITIVE;
        }
        if (NEGATIVE.contains(v)) {
            return Review.NEGATIVE;
        }
        throw LabbookException.invalid("%s line %d: label '%s' is neither positive (1, pos, positive, true) nor negative (0, neg, negative, false)",
                path, line, raw);
    }

    private static String stem(Path path) {
        String name = path.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
