package dev.labbook.client.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void recordsRoundTripAcrossSegmentsWithAutomaticSteps() {
        int n = 20_000;
        try (SpoolWriter w = new SpoolWriter(dir, 64 << 10, k -> {})) {
            w.param("lr", "0.1");
            for (int i = 0; i < n; i++) {
                w.metric(i % 2 == 0 ? "loss" : "acc", i, 1000 + i, SpoolWriter.AUTO_STEP);
            }
            w.tag("k", "é ünïcode");
            w.metric("nan", Double.NaN, 5, 42);
            w.status(2, 999);
        }
        assertTrue(SpoolReader.segments(dir).size() > 5, "rolled over several segments");
        List<String> seen = new ArrayList<>();
        long lossSteps = 0;
        try (SpoolReader r = new SpoolReader(dir, Records.position(0, Records.HEADER), () -> Long.MAX_VALUE)) {
            SpoolRecord rec = new SpoolRecord();
            int metrics = 0;
            while (r.next(rec)) {
                if (rec.type == Records.METRIC) {
                    if (rec.key.equals("loss")) {
                        assertEquals(lossSteps++, rec.step);
                        assertEquals(1000 + rec.value, rec.timestamp);
                    }
                    metrics++;
                } else {
                    seen.add(rec.type + ":" + rec.key + "=" + rec.text);
                }
            }
            assertEquals(n + 1, metrics);
        }
        assertEquals(n / 2, lossSteps);
        assertEquals(List.of("3:lr=0.1", "4:k=é ünïcode", "6:null=null"), seen.subList(0, 3).stream()
                .map(s -> s.startsWith("6:") ? "6:null=null" : s).toList());
    }

    @Test
    void inputRecordsRoundTripBetweenOtherRecordsAndAcrossSegments() {
        String json = "{\"dataset\":{\"name\":\"imdb\",\"digest\":\"é1\"}}";
        try (SpoolWriter w = new SpoolWriter(dir, 64 << 10, k -> {})) {
            for (int i = 0; i < 3000; i++) {
                w.metric("loss", i, i, SpoolWriter.AUTO_STEP);
                if (i % 1000 == 999) {
                    w.input(json);
                }
            }
            w.tag("t", "v");
        }
        assertTrue(SpoolReader.segments(dir).size() > 1);
        List<String> others = new ArrayList<>();
        long metrics = 0;
        try (SpoolReader r = new SpoolReader(dir, Records.position(0, Records.HEADER), () -> Long.MAX_VALUE)) {
            SpoolRecord rec = new SpoolRecord();
            while (r.next(rec)) {
                if (rec.type == Records.METRIC) {
                    assertEquals(metrics++, rec.step);
                } else {
                    others.add(rec.type == Records.INPUT ? metrics + ":" + rec.text : rec.key + "=" + rec.text);
                }
            }
        }
        assertEquals(3000, metrics);
        assertEquals(List.of("1000:" + json, "2000:" + json, "3000:" + json, "t=v"), others);
    }

    @Test
    void readerStartsAtACheckpointWithTheKeyDictionaryRestored() {
        long mid;
        try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> {})) {
            w.metric("a", 1, 1, 1);
            w.metric("b", 2, 2, 2);
            mid = w.published();
            w.metric("a", 3, 3, 3);
        }
        try (SpoolReader r = new SpoolReader(dir, mid, () -> Long.MAX_VALUE)) {
            SpoolRecord rec = new SpoolRecord();
            assertTrue(r.next(rec));
            assertEquals("a", rec.key);
            assertEquals(3.0, rec.value);
            assertFalse(r.next(rec));
        }
    }

    @Test
    void aReopenedSpoolAppendsAfterItsRecords() {
        try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> {})) {
            w.metric("a", 1, 1, 1);
        }
        try (SpoolWriter w = new SpoolWriter(dir, 1 << 20, k -> {})) {
            w.metric("a", 2, 2, 2);
            w.status(3, 7);
        }
        int count = 0;
        try (SpoolReader r = new SpoolReader(dir, Records.position(0, Records.HEADER), () -> Long.MAX_VALUE)) {
            SpoolRecord rec = new SpoolRecord();
            while (r.next(rec)) {
                count++;
            }
        }
        assertEquals(3, count);
    }

    @Test
    void liveReaderStopsAtThePublishedPosition() {
        try (SpoolWriter w = new SpoolWriter(dir, 64 << 10, k -> {});
                SpoolReader r = new SpoolReader(dir, Records.position(0, Records.HEADER), w::published)) {
            SpoolRecord rec = new SpoolRecord();
            assertFalse(r.next(rec));
            int read = 0;
            for (int i = 0; i < 10_000; i++) {
                w.metric("m", i, i, i);
                while (r.next(rec)) {
                    assertEquals(read, (long) rec.value);
                    read++;
                }
            }
            assertEquals(10_000, read);
        }
    }
}
