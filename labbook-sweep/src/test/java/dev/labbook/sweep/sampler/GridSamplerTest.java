package dev.labbook.sweep.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.sweep.config.SweepConfigParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSamplerTest {

    @Test
    void enumeratesEveryCombinationLastParameterFastestThenStops() {
        Sampler grid = Sampler.of(SweepConfigParser.parse("""
                method: grid
                parameters:
                  a: {values: [x, y]}
                  fixed: {value: 7}
                  nested:
                    parameters:
                      n: {min: 1, max: 3}
                      q: {distribution: q_uniform, min: 0, max: 1, q: 0.5}
                """));
        List<Map<String, Object>> all = new ArrayList<>();
        for (int n = 0; ; n++) {
            var p = grid.suggest(n, List.of());
            if (p.isEmpty()) {
                break;
            }
            all.add(p.get());
        }
        assertEquals(2 * 3 * 3, all.size());
        assertEquals(18, new HashSet<>(all).size(), "no combination twice");
        assertEquals(Map.of("a", "x", "fixed", 7L, "nested.n", 1L, "nested.q", 0.0), all.get(0));
        assertEquals(Map.of("a", "x", "fixed", 7L, "nested.n", 1L, "nested.q", 0.5), all.get(1));
        assertEquals(Map.of("a", "x", "fixed", 7L, "nested.n", 2L, "nested.q", 0.0), all.get(3));
        assertEquals(Map.of("a", "y", "fixed", 7L, "nested.n", 3L, "nested.q", 1.0), all.get(17));
        assertEquals(List.of("a", "fixed", "nested.n", "nested.q"), new ArrayList<>(all.get(5).keySet()));
        assertTrue(grid.suggest(100, List.of()).isEmpty());
    }
}
