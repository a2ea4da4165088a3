package dev.labbook.client.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The low-disk warning. No test can make a real disk run low, so the thresholds are checked as
 * arithmetic, and the warning itself by raising the byte threshold above any disk: the file system
 * is still really asked, the spool really measured.
 */
class DiskSpaceTest {
    private static final long GB = 1L << 30;

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        DiskSpace.reset();
    }

    @Test
    void lowMeansLessThanOneGigabyteOrLessThanFivePercentFree() {
        assertFalse(DiskSpace.low(2 * GB, 10 * GB));
        assertFalse(DiskSpace.low(GB, 2 * GB), "exactly 1 GB is enough");
        assertTrue(DiskSpace.low(GB - 1, 2 * GB));
        assertFalse(DiskSpace.low(5 * GB, 100 * GB), "exactly 5% is enough");
        assertTrue(DiskSpace.low(5 * GB - 1, 100 * GB), "plenty of gigabytes, but under 5% of a large disk");
    }

    @Test
    void aLowDiskIsWarnedAboutOnceWithTheSpoolsPlaceAndSize() throws IOException {
        Path run = dir.resolve("run-1");
        try (SpoolWriter w = new SpoolWriter(run, 1 << 20, k -> { })) {
            w.metric("loss", 1, 1, 1);
        }
        DiskSpace.reset();
        DiskSpace.minFreeBytes = Long.MAX_VALUE;
        String warning = DiskSpace.check(run);
        assertNotNull(warning);
        assertTrue(warning.contains("This run's spool " + run.toAbsolutePath() + " holds 1 MB (all spools there: 1 MB)"), warning);
        assertTrue(warning.matches(".*Low disk space for the Labbook spool: \\d+ (KB|MB|GB) free of \\d+ (MB|GB) .*"), warning);
        assertNull(DiskSpace.check(run), "rate-limited: one line, not one per segment");

        DiskSpace.reset();
        FileStore fs = Files.getFileStore(run);
        boolean reallyLow = DiskSpace.low(fs.getUsableSpace(), fs.getTotalSpace());
        assertEquals(reallyLow, DiskSpace.check(run) != null, "the real thresholds, on this machine's disk");
    }

    @Test
    void everySegmentPreparedInTheBackgroundChecksTheDisk() throws InterruptedException {
        int before = DiskSpace.checks();
        try (SpoolWriter w = new SpoolWriter(dir.resolve("run-2"), 64 << 10, k -> { })) {
            for (int i = 0; i < 10_000; i++) {
                w.metric("loss", i, i, i); // 29 bytes each: about 4 segments of 64 KiB
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (DiskSpace.checks() < before + 4 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        }
        assertTrue(DiskSpace.checks() >= before + 4, (DiskSpace.checks() - before) + " checks");
    }
}
