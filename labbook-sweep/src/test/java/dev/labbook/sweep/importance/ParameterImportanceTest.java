package dev.labbook.sweep.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Permutation importance on synthetic objectives where some parameters matter and others do not. */
class ParameterImportanceTest {
    private static final SearchSpace SPACE = SweepConfigParser.parse("""
            method: random
            parameters:
              matters: {min: 0.0, max: 1.0}
              noise: {min: 0.0, max: 1.0}
              lr: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0}
              kind: {values: [a, b, c]}
              fixed: {value: 3}
            """).space();

    private static Map<String, Double> importance(java.util.function.ToDoubleFunction<Map<String, Object>> f, int n) {
        Random r = new Random(7);
        List<Map<String, Object>> params = new ArrayList<>();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("matters", r.nextDouble());
            p.put("noise", r.nextDouble());
            p.put("lr", Math.exp(Math.log(1e-5) * r.nextDouble()));
            p.put("kind", List.of("a", "b", "c").get(r.nextInt(3)));
            p.put("fixed", 3L);
            params.add(p);
            y[i] = f.applyAsDouble(p);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        ParameterImportance.of(SPACE, params, y, 1).forEach(i -> out.put(i.name(), i.importance()));
        return out;
    }

    @Test
    void oneParameterThatMattersTakesNearlyAllTheImportance() {
        Map<String, Double> imp = importance(p -> 10 * Math.pow((Double) p.get("matters") - 0.3, 2), 60);
        assertEquals(List.of("matters", "noise", "lr", "kind").size(), imp.size(), "constants are left out: " + imp);
        assertEquals("matters", imp.keySet().iterator().next(), "most important first: " + imp);
        assertTrue(imp.get("matters") > 0.8, imp.toString());
        assertTrue(imp.get("noise") < 0.1 && imp.get("kind") < 0.1 && imp.get("lr") < 0.1, imp.toString());
        assertEquals(1.0, imp.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(imp, importance(p -> 10 * Math.pow((Double) p.get("matters") - 0.3, 2), 60), "seeded: the same answer");
    }

    @Test
    void categoricalAndLogParametersAreRankedByTheirEffect() {
        Map<String, Double> imp = importance(p -> Map.of("a", 0.0, "b", 2.0, "c", 4.0).get(p.get("kind"))
                + Math.log10((Double) p.get("lr")) * 0.3, 80);
        assertEquals(List.of("kind", "lr"), new ArrayList<>(imp.keySet()).subList(0, 2), imp.toString());
        assertTrue(imp.get("matters") < 0.05 && imp.get("noise") < 0.05, imp.toString());
    }

    @Test
    void tooFewTrialsGiveNoImportance() {
        Map<String, Double> imp = importance(p -> (Double) p.get("matters"), 3);
        assertTrue(imp.values().stream().allMatch(v -> v == 0), imp.toString());
    }
}
