package dev.labbook.sweep.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every distribution stays in its support, reaches its bounds' neighbourhood, and TPE's draws do too. */
class DistributionTest {
    private static final String SPACE = """
            method: tpe
            metric: {name: y}
            seed: 3
            tpe: {n_startup_trials: 5}
            parameters:
              c: {value: fixed}
              cat: {values: [a, b, c]}
              i: {min: -2, max: 3}
              u: {min: 0.5, max: 1.5}
              q: {distribution: q_uniform, min: 0.05, max: 1, q: 0.1}
              qi: {distribution: q_uniform, min: 0, max: 10, q: 5}
              lu: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}
              qlu: {distribution: q_log_uniform_values, min: 16, max: 512, q: 16}
              n: {distribution: normal, mu: 10, sigma: 2}
              ln: {distribution: log_normal, mu: 0, sigma: 1}
            """;

    @Test
    void randomDrawsStayInTheSupportAndFillTheRange() {
        SweepConfig c = SweepConfigParser.parse(SPACE);
        Random r = new Random(1);
        double minU = 9;
        double maxU = -9;
        Set<Object> ints = new HashSet<>();
        Set<Object> qs = new HashSet<>();
        double minLu = 1;
        double sumN = 0;
        for (int k = 0; k < 4000; k++) {
            Map<String, Object> p = RandomSampler.draw(c.space(), r);
            assertTrue(c.space().contains(p), () -> "outside the support: " + p);
            minU = Math.min(minU, (Double) p.get("u"));
            maxU = Math.max(maxU, (Double) p.get("u"));
            ints.add(p.get("i"));
            qs.add(p.get("q"));
            minLu = Math.min(minLu, (Double) p.get("lu"));
            sumN += (Double) p.get("n");
        }
        assertTrue(minU < 0.51 && maxU > 1.49, minU + " " + maxU);
        assertEquals(Set.of(-2L, -1L, 0L, 1L, 2L, 3L), ints);
        assertEquals(10, qs.size(), "multiples of 0.1 in [0.05, 1]: " + qs);
        assertTrue(qs.contains(0.1) && qs.contains(1.0) && qs.contains(0.3), "clean multiples: " + qs);
        assertTrue(minLu < 3e-5, "log-uniform reaches its low decade: " + minLu);
        assertEquals(10, sumN / 4000, 0.15);
    }

    @Test
    void supportsRejectValuesOutside() {
        assertFalse(new Distribution.IntUniform(1, 3).contains(4L));
        assertFalse(new Distribution.IntUniform(1, 3).contains(2.0));
        assertFalse(new Distribution.Uniform(0, 1).contains(1.5));
        assertFalse(new Distribution.QUniform(0, 1, 0.25, false).contains(0.3));
        assertTrue(new Distribution.QUniform(0, 1, 0.25, false).contains(0.75));
        assertFalse(new Distribution.QLogUniformValues(16, 512, 16, true).contains(8L));
        assertFalse(new Distribution.LogNormal(0, 1).contains(-1.0));
        assertFalse(new Distribution.Categorical(List.of("a"), new double[] {1}).contains("b"));
        assertTrue(new Distribution.Categorical(List.of(1L, 2L), new double[] {0.5, 0.5}).contains(2));
    }

    @Test
    void categoricalDrawsFollowTheirProbabilities() {
        Distribution.Categorical d = new Distribution.Categorical(List.of("x", "y"), new double[] {0.8, 0.2});
        Random r = new Random(5);
        int x = 0;
        for (int k = 0; k < 10_000; k++) {
            x += d.sample(r).equals("x") ? 1 : 0;
        }
        assertEquals(0.8, x / 10_000.0, 0.02);
    }

    @Test
    void tpeSuggestionsStayInTheSupport() {
        SweepConfig c = SweepConfigParser.parse(SPACE);
        Sampler tpe = Sampler.of(c);
        List<Observation> history = new java.util.ArrayList<>();
        for (int n = 0; n < 40; n++) {
            Map<String, Object> p = tpe.suggest(n, history).orElseThrow();
            assertTrue(c.space().contains(p), () -> "outside the support: " + p);
            double y = ((Number) p.get("u")).doubleValue() + ((Number) p.get("i")).doubleValue();
            history.add(new Observation(n, dev.labbook.sweep.TrialState.COMPLETE, p, y));
        }
        // the same seed and history give the same suggestion
        assertEquals(tpe.suggest(40, history), Sampler.of(c).suggest(40, history));
    }

    @Test
    void nestedParametersNestBack() {
        assertEquals(Map.of("a", Map.of("b", 1, "c", 2), "d", 3), SearchSpace.nest(Map.of("a.b", 1, "a.c", 2, "d", 3)));
    }
}
