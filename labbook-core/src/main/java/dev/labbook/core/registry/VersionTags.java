package dev.labbook.core.registry;

import dev.labbook.core.model.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags a registered version carries from its run: the metrics worth showing in the registry
 * (test and validation scores), so versions compare side by side without opening their runs.
 */
public final class VersionTags {
    /** Row counts and confusion-matrix cells: facts of the data, not scores worth a tag. */
    private static final java.util.regex.Pattern COUNTS = java.util.regex.Pattern.compile("_(rows|tp|tn|fp|fn)$");

    private VersionTags() {}

    /**
     * The run's {@code test_*} and {@code val_*} metrics as tags (all its metrics when it has none of
     * those), sorted by key; row counts, confusion-matrix cells and non-finite values are left out.
     */
    public static List<ModelVersionTag> fromMetrics(List<Metric> metrics) {
        List<ModelVersionTag> scores = new ArrayList<>();
        List<ModelVersionTag> all = new ArrayList<>();
        for (Metric m : metrics) {
            if (!Double.isFinite(m.value()) || COUNTS.matcher(m.key()).find()) {
                continue;
            }
            ModelVersionTag t = new ModelVersionTag(m.key(), format(m.value()));
            all.add(t);
            if (m.key().startsWith("test_") || m.key().startsWith("val_")) {
                scores.add(t);
            }
        }
        List<ModelVersionTag> out = scores.isEmpty() ? all : scores;
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    /** Whole numbers without a fraction, others with up to 6 significant decimals. */
    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
