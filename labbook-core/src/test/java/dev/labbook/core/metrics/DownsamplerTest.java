package dev.labbook.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    private static long[] steps(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    private static double[] sine(int n, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(i / 1000.0) + 0.1 * random.nextGaussian();
        }
        return v;
    }

    /** Ascending, distinct, inside [from, to), first and last kept, at most maxPoints. */
    private static void assertWellFormed(int[] out, int from, int to, int maxPoints) {
        assertTrue(out.length <= maxPoints, out.length + " > " + maxPoints);
        if (to > from) {
            assertEquals(from, out[0]);
            assertEquals(to - 1, out[out.length - 1]);
        }
        for (int i = 1; i < out.length; i++) {
            assertTrue(out[i - 1] < out[i], "not ascending/distinct at " + i + ": " + Arrays.toString(out));
        }
        for (int idx : out) {
            assertTrue(idx >= from && idx < to);
        }
    }

    @Test
    void returnsEverythingWhenItFits() {
        long[] s = steps(10);
        double[] v = sine(10, 1);
        assertArrayEquals(IntStream.range(0, 10).toArray(), Downsampler.downsample(s, v, 0, 10, 10));
        assertArrayEquals(IntStream.range(0, 10).toArray(), Downsampler.downsample(s, v, 0, 10, 320));
        assertArrayEquals(new int[] {3, 4, 5}, Downsampler.downsample(s, v, 3, 6, 3));
        assertArrayEquals(new int[] {7}, Downsampler.downsample(s, v, 7, 8, 2));
        assertArrayEquals(new int[0], Downsampler.downsample(s, v, 4, 4, 2));
        assertArrayEquals(new int[0], Downsampler.downsample(new long[0], new double[0], 0, 0, 320));
    }

    @Test
    void twoPointsMeansFirstAndLast() {
        long[] s = steps(100);
        double[] v = sine(100, 2);
        v[50] = 1e9;
        assertArrayEquals(new int[] {0, 99}, Downsampler.downsample(s, v, 0, 100, 2));
        assertArrayEquals(new int[] {0, 99}, Downsampler.downsample(s, v, 0, 100, 3));
    }

    @Test
    void oneBucketKeepsItsMinimumAndMaximum() {
        long[] s = steps(6);
        double[] v = {5, 3, 9, 1, 4, 6};
        // maxPoints 4: one bucket over the interior {1..4}: min at 3, max at 2.
        assertArrayEquals(new int[] {0, 2, 3, 5}, Downsampler.downsample(s, v, 0, 6, 4));
        assertArrayEquals(new int[] {0, 2, 3, 5}, Downsampler.downsample(s, v, 0, 6, 5));
    }

    @Test
    void keepsASinglePointSpikeAndDipInAMillionPoints() {
        int n = 1_000_000;
        long[] s = steps(n);
        double[] v = sine(n, 3);
        v[123_457] = 1e9;
        v[876_543] = Double.NEGATIVE_INFINITY;
        int[] out = Downsampler.downsample(s, v, 0, n, 320);
        assertWellFormed(out, 0, n, 320);
        assertTrue(out.length >= 300, "uses its budget: " + out.length);
        assertTrue(Arrays.binarySearch(out, 123_457) >= 0, "spike kept");
        assertTrue(Arrays.binarySearch(out, 876_543) >= 0, "dip kept");
    }

    @Test
    void millionPointsInMilliseconds() {
        int n = 1_000_000;
        long[] s = steps(n);
        double[] v = sine(n, 4);
        for (int i = 0; i < 20; i++) {
            Downsampler.downsample(s, v, 0, n, 320); // warm up
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            Downsampler.downsample(s, v, 0, n, 320);
            best = Math.min(best, System.nanoTime() - t0);
        }
        // Typically 2-5 ms; the bound is loose so a busy machine does not fail the build.
        assertTrue(best < 100_000_000L, "best of 10: " + best / 1_000_000 + " ms");
    }

    @Test
    void positiveInfinityIsAnOrdinaryMaximum() {
        long[] s = steps(1000);
        double[] v = sine(1000, 5);
        v[500] = Double.POSITIVE_INFINITY;
        v[501] = Double.POSITIVE_INFINITY;
        int[] out = Downsampler.downsample(s, v, 0, 1000, 20);
        assertWellFormed(out, 0, 1000, 20);
        assertTrue(Arrays.binarySearch(out, 500) >= 0, "first +Inf kept");
    }

    @Test
    void neverExceedsMaxPointsAndAlwaysKeepsTheEnds() {
        Random random = new Random(6);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(400);
            long[] s = randomSteps(random, n);
            double[] v = randomValues(random, n);
            int from = random.nextInt(n);
            int to = from + random.nextInt(n - from + 1);
            int maxPoints = 2 + random.nextInt(60);
            int[] out = Downsampler.downsample(s, v, from, to, maxPoints);
            assertWellFormed(out, from, to, maxPoints);
            if (to - from <= maxPoints) {
                assertEquals(to - from, out.length);
            }
        }
    }

    /** Every bucket's extremes (by an independent, per-bucket computation) are in the output. */
    @Test
    void keepsEveryBucketsExtremesOnUnevenSteps() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int n = 50 + random.nextInt(2000);
            long[] s = randomSteps(random, n);
            double[] v = randomValues(random, n);
            int maxPoints = 4 + random.nextInt(100);
            int[] out = Downsampler.downsample(s, v, 0, n, maxPoints);
            assertWellFormed(out, 0, n, maxPoints);
            if (n <= maxPoints) {
                continue;
            }
            int buckets = (maxPoints - 2) / 2;
            double first = s[0];
            double span = (double) s[n - 1] - first;
            // Same arithmetic as the implementation, so points on a bucket edge agree.
            double scale = span > 0 ? buckets / span : 0;
            for (int b = 0; b < buckets; b++) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                boolean any = false;
                for (int i = 1; i < n - 1; i++) {
                    int bucket = (int) Math.min(buckets - 1, (s[i] - first) * scale);
                    if (bucket == b && !Double.isNaN(v[i])) {
                        any = true;
                        min = Math.min(min, v[i]);
                        max = Math.max(max, v[i]);
                    }
                }
                if (any) {
                    assertTrue(containsValue(out, v, min), "bucket " + b + " min " + min);
                    assertTrue(containsValue(out, v, max), "bucket " + b + " max " + max);
                }
            }
        }
    }

    @Test
    void bucketsAreByStepNotByIndex() {
        // 1000 points crowd steps 0..999, then 10 points spread to step 1,000,000. With 4
        // buckets by step, the crowd shares the first bucket, so it contributes only its min
        // and max while the sparse tail keeps its points.
        int n = 1010;
        long[] s = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < 1000; i++) {
            s[i] = i;
            v[i] = i % 7;
        }
        for (int i = 0; i < 10; i++) {
            s[1000 + i] = 100_000L * (i + 1);
            v[1000 + i] = i;
        }
        int[] out = Downsampler.downsample(s, v, 0, n, 10);
        assertWellFormed(out, 0, n, 10);
        long crowd = Arrays.stream(out).filter(i -> i < 1000).count();
        assertEquals(3, crowd, Arrays.toString(out)); // first point, then min (0) and max (6)
    }

    @Test
    void tiesInStep() {
        long[] s = new long[100];
        Arrays.fill(s, 7);
        double[] v = sine(100, 8);
        v[40] = -50;
        v[60] = 50;
        int[] out = Downsampler.downsample(s, v, 0, 100, 10);
        assertArrayEquals(new int[] {0, 40, 60, 99}, out);

        long[] mixed = {1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4};
        double[] mv = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        int[] m = Downsampler.downsample(mixed, mv, 0, mixed.length, 8);
        assertWellFormed(m, 0, mixed.length, 8);
    }

    @Test
    void nanIsIgnoredForExtremesButAnAllNanBucketKeepsOnePoint() {
        long[] s = steps(10);
        double nan = Double.NaN;
        // maxPoints 6: two buckets over the interior steps 1..8.
        double[] v = {0, nan, 5, nan, 1, nan, nan, nan, nan, 9};
        int[] out = Downsampler.downsample(s, v, 0, 10, 6);
        assertWellFormed(out, 0, 10, 6);
        // First bucket (steps 1..4): NaN at 1 and 3 ignored; min 1 at 4, max 5 at 2.
        // Second bucket (steps 5..8): only NaN, its first one (5) stays to show the gap.
        assertArrayEquals(new int[] {0, 2, 4, 5, 9}, out);

        double[] allNan = new double[10];
        Arrays.fill(allNan, nan);
        assertArrayEquals(new int[] {0, 1, 5, 9}, Downsampler.downsample(s, allNan, 0, 10, 6));
    }

    @Test
    void endsAreKeptEvenWhenNaN() {
        long[] s = steps(50);
        double[] v = sine(50, 9);
        v[0] = Double.NaN;
        v[49] = Double.NaN;
        int[] out = Downsampler.downsample(s, v, 0, 50, 8);
        assertWellFormed(out, 0, 50, 8);
    }

    @Test
    void windowEdges() {
        int n = 10_000;
        long[] s = steps(n);
        double[] v = sine(n, 10);
        v[2000] = 1e6;  // inside the window
        v[999] = -1e6;  // just before it
        v[5000] = -1e6; // just after it
        int from = Downsampler.lowerBound(s, n, 1000);
        int to = Downsampler.upperBound(s, n, 4999);
        assertEquals(1000, from);
        assertEquals(5000, to);
        int[] out = Downsampler.downsample(s, v, from, to, 50);
        assertWellFormed(out, from, to, 50);
        assertTrue(Arrays.binarySearch(out, 2000) >= 0);
    }

    @Test
    void boundsFindWindowsAmongTies() {
        long[] s = {1, 3, 3, 3, 5, 8, 0, 0}; // the last two are unused capacity
        int size = 6;
        assertEquals(0, Downsampler.lowerBound(s, size, Long.MIN_VALUE));
        assertEquals(0, Downsampler.lowerBound(s, size, 1));
        assertEquals(1, Downsampler.lowerBound(s, size, 2));
        assertEquals(1, Downsampler.lowerBound(s, size, 3));
        assertEquals(4, Downsampler.upperBound(s, size, 3));
        assertEquals(4, Downsampler.lowerBound(s, size, 4));
        assertEquals(5, Downsampler.upperBound(s, size, 5));
        assertEquals(6, Downsampler.lowerBound(s, size, 9));
        assertEquals(6, Downsampler.upperBound(s, size, 8));
        assertEquals(0, Downsampler.upperBound(s, size, 0));
        assertEquals(0, Downsampler.lowerBound(new long[0], 0, 5));
        assertEquals(0, Downsampler.upperBound(new long[0], 0, 5));
    }

    @Test
    void extremeStepsDoNotOverflow() {
        long[] s = {Long.MIN_VALUE, -5, 0, 5, 1L << 60, Long.MAX_VALUE};
        double[] v = {1, 2, 3, 4, 5, 6};
        int[] out = Downsampler.downsample(s, v, 0, 6, 4);
        assertWellFormed(out, 0, 6, 4);
    }

    @Test
    void rejectsBadArguments() {
        long[] s = steps(5);
        double[] v = new double[5];
        assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(s, v, 0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(s, v, -1, 5, 2));
        assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(s, v, 3, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(s, v, 0, 6, 2));
        assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(s, new double[4], 0, 5, 2));
    }

    private static boolean containsValue(int[] out, double[] v, double value) {
        for (int i : out) {
            if (Double.compare(v[i], value) == 0) {
                return true;
            }
        }
        return false;
    }

    private static long[] randomSteps(Random random, int n) {
        long[] s = new long[n];
        long step = random.nextInt(10) - 5;
        for (int i = 0; i < n; i++) {
            int r = random.nextInt(10);
            step += r < 3 ? 0 : r < 9 ? 1 + random.nextInt(3) : 1 + random.nextInt(1000); // ties, small and big gaps
            s[i] = step;
        }
        return s;
    }

    private static double[] randomValues(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int r = random.nextInt(100);
            v[i] = r == 0 ? Double.NaN : r == 1 ? Double.POSITIVE_INFINITY : r == 2 ? Double.NEGATIVE_INFINITY
                    : random.nextGaussian();
        }
        return v;
    }
}
