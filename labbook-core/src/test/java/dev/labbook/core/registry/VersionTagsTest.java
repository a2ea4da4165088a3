package dev.labbook.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.labbook.core.model.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scores a registered version shows as tags. */
class VersionTagsTest {
    private static Metric m(String key, double value) {
        return new Metric(key, value, 0, 0);
    }

    @Test
    void scoresOnlySortedAndReadable() {
        List<ModelVersionTag> tags = VersionTags.fromMetrics(List.of(m("val_accuracy", 0.9166666666), m("test_accuracy", 0.83),
                m("test_tp", 247), m("test_rows", 600), m("train_seconds", 12.5), m("test_log_loss", Double.NaN), m("val_f1", 1)));
        assertEquals(List.of(new ModelVersionTag("test_accuracy", "0.83"), new ModelVersionTag("val_accuracy", "0.916667"),
                new ModelVersionTag("val_f1", "1")), tags);
    }

    @Test
    void withoutScoresEveryMetricButCounts() {
        assertEquals(List.of(new ModelVersionTag("loss", "0.25")),
                VersionTags.fromMetrics(List.of(m("loss", 0.25), m("train_rows", 10))));
    }
}
