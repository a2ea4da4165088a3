package dev.labbook.store.jdbc;

import dev.labbook.store.testing.TestDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Run;
import dev.labbook.store.NewRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricDaoTest {
    @TempDir
    Path dir;

    @Test
    void storesEveryDistinctPointOfInterleavedSeriesOnce() {
        try (Database db = TestDatabases.openAt(dir.resolve("m.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "r", List.of())).runId();
            Random rnd = new Random(3);
            List<Metric> all = new ArrayList<>();
            // 3 batches of 537 points (not a multiple of the rows per statement), keys interleaved,
            // steps out of order, NaN and infinities, and repeated points (stored once)
            for (int b = 0; b < 3; b++) {
                List<Metric> batch = new ArrayList<>();
                for (int i = 0; i < 537; i++) {
                    String key = "k" + rnd.nextInt(7);
                    long step = rnd.nextInt(300);
                    double v = switch (rnd.nextInt(10)) {
                        case 0 -> Double.NaN;
                        case 1 -> Double.POSITIVE_INFINITY;
                        default -> rnd.nextInt(5) / 4.0;
                    };
                    Metric m = new Metric(key, v, 1000 + rnd.nextInt(3), step);
                    batch.add(m);
                    if (rnd.nextInt(20) == 0) {
                        batch.add(m);
                    }
                }
                store.logBatch(run, batch, List.of(), List.of());
                all.addAll(batch);
            }
            Comparator<Metric> order = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
                    .thenComparingDouble(m -> Double.isNaN(m.value()) ? 0 : m.value())
                    .thenComparingInt(m -> Double.isNaN(m.value()) ? 1 : 0);
            for (int k = 0; k < 7; k++) {
                String key = "k" + k;
                List<String> expected = all.stream().filter(m -> m.key().equals(key)).sorted(order)
                        .map(Metric::toString).distinct().collect(Collectors.toList());
                List<String> stored = store.getMetricHistory(run, key, 25_000, null).items().stream()
                        .map(Metric::toString).collect(Collectors.toList());
                assertEquals(expected, stored, key);
            }
            Run r = store.getRun(run).orElseThrow();
            for (Metric latest : r.data().metrics()) {
                Metric expected = all.stream().filter(m -> m.key().equals(latest.key()))
                        .max(Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
                                .thenComparingDouble(m -> Double.isNaN(m.value()) ? 0 : m.value()))
                        .orElseThrow();
                assertEquals(expected.step(), latest.step(), latest.key());
                assertEquals(expected.timestamp(), latest.timestamp(), latest.key());
            }
        }
    }

    @Test
    void chartsReadTheSameSeriesAsTheHistory() {
        try (Database db = TestDatabases.openAt(dir.resolve("c.db")); JdbcTrackingStore store = new JdbcTrackingStore(db)) {
            String run = store.createRun(new NewRun("0", "u", 0, "r", List.of())).runId();
            List<Metric> batch = new ArrayList<>();
            double[] values = {0.0, Double.NaN, -0.0, 1.5, Double.NEGATIVE_INFINITY, 0.0, Double.NaN};
            for (int i = 0; i < 1500; i++) {
                batch.add(new Metric("m", values[i % values.length], 10 + i % 3, i / 2));
                if (batch.size() == 1000) {
                    store.logBatch(run, batch, List.of(), List.of());
                    batch.clear();
                }
            }
            store.logBatch(run, batch, List.of(), List.of());
            List<String> history = store.getMetricHistory(run, "m", 25_000, null).items().stream()
                    .map(m -> m.step() + "/" + m.timestamp() + "/" + Double.doubleToRawLongBits(m.value())).collect(Collectors.toList());
            List<String> chart = store.getMetricHistoryBulkInterval(List.of(run), "m", null, null, 2500).stream()
                    .map(m -> m.step() + "/" + m.timestamp() + "/" + Double.doubleToRawLongBits(m.value())).collect(Collectors.toList());
            assertEquals(1500, history.size());
            assertEquals(history, chart);
        }
    }
}
