package dev.labbook.sweep.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Parameters that exist only under one value of a categorical parent, on every sampler, and TPE
 * on a known conditional function: {@code (lr - 0.3)^2} plus, by model, {@code 1 + (x - 1)^2}
 * (quad), {@code ((u - 7)^2 + (v - 3)^2) / 10} plus {@code 0.1 (k - 2)^2} (bowl, round) or 0.3
 * (bowl, flat), or 2 (constant). Its minimum is 0, at lr 0.3, bowl, u 7, v 3, round, k 2.
 */
class ConditionalParametersTest {
    private static final String SPACE = """
            parameters:
              lr: {min: 0.0, max: 1.0}
              model:
                values:
                  - value: quad
                    parameters:
                      x: {min: -5.0, max: 5.0}
                  - value: bowl
                    parameters:
                      u: {min: 0.0, max: 10.0}
                      v: {min: 0.0, max: 10.0}
                      shape:
                        values:
                          - value: round
                            parameters:
                              k: {min: 1, max: 5}
                          - flat
                  - constant
            """;

    static SweepConfig config(String method, long seed, boolean multivariate) {
        return SweepConfigParser.parse("method: " + method + "\nmetric: {name: y, goal: minimize}\nseed: " + seed
                + "\ntpe: {multivariate: " + multivariate + "}\n" + SPACE);
    }

    static double objective(Map<String, Object> p) {
        double lr = (Double) p.get("lr");
        double y = (lr - 0.3) * (lr - 0.3);
        switch ((String) p.get("model")) {
            case "quad" -> y += 1 + Math.pow((Double) p.get("x") - 1, 2);
            case "bowl" -> {
                y += (Math.pow((Double) p.get("u") - 7, 2) + Math.pow((Double) p.get("v") - 3, 2)) / 10;
                y += p.get("shape").equals("round") ? 0.1 * Math.pow((Long) p.get("k") - 2, 2) : 0.3;
            }
            default -> y += 2;
        }
        return y;
    }

    @Test
    void theFileDeclaresParametersUnderAParentValue() {
        SearchSpace space = config("random", 1, false).space();
        assertEquals(List.of("lr", "model", "x", "u", "v", "shape", "k"), space.names());
        assertNull(space.dimension("lr").condition());
        assertEquals(new SearchSpace.Condition("model", "quad"), space.dimension("x").condition());
        assertEquals(new SearchSpace.Condition("model", "bowl"), space.dimension("shape").condition());
        assertEquals(new SearchSpace.Condition("shape", "round"), space.dimension("k").condition());
        assertTrue(space.contains(Map.of("lr", 0.5, "model", "constant")));
        assertTrue(space.contains(Map.of("lr", 0.5, "model", "quad", "x", 1.0)));
        assertTrue(space.contains(Map.of("lr", 0.5, "model", "bowl", "u", 1.0, "v", 2.0, "shape", "flat")));
        assertFalse(space.contains(Map.of("lr", 0.5, "model", "quad")), "an active parameter is missing");
        assertFalse(space.contains(Map.of("lr", 0.5, "model", "constant", "x", 1.0)), "an inactive parameter is present");
        assertFalse(space.contains(Map.of("lr", 0.5, "model", "bowl", "u", 1.0, "v", 2.0, "shape", "flat", "k", 2L)));
    }

    /** The example sweep over both sentiment models: every trial's command has exactly its model's options. */
    @Test
    void theExampleSweepOverBothModelsGivesEachTrialItsModelsOptions() {
        SweepConfig c = SweepConfigParser.read(java.nio.file.Path.of("../examples/sweeps/imdb-models.yaml"));
        assertEquals(List.of("ngrams", "model", "c", "epochs", "lr", "embedding-size", "optimizer", "weight-decay"), c.space().names());
        Sampler tpe = Sampler.of(c);
        List<Observation> history = new ArrayList<>();
        Set<String> models = new HashSet<>();
        for (int n = 0; n < 20; n++) {
            Map<String, Object> p = tpe.suggest(n, history).orElseThrow();
            assertTrue(c.space().contains(p), () -> "not a point of the space: " + p);
            List<String> words = dev.labbook.sweep.TrialCommand.build(c, p);
            boolean nblr = p.get("model").equals("nblr");
            models.add((String) p.get("model"));
            assertEquals(nblr, words.stream().anyMatch(w -> w.startsWith("--c=")), words.toString());
            assertEquals(!nblr, words.contains("--epochs=3"), words.toString());
            assertEquals(!nblr && p.get("optimizer").equals("sgd"), words.stream().anyMatch(w -> w.startsWith("--weight-decay=")), words.toString());
            history.add(new Observation(n, TrialState.COMPLETE, p, nblr ? 0.9 : 0.88));
        }
        assertEquals(Set.of("nblr", "fasttext"), models);
    }

    @Test
    void badConditionalDeclarationsGetOneLineNamingTheKey() {
        assertError("method: random\nparameters:\n  a: {values: [{value: p, parameters: {b: {value: 1}}}, {value: q, parameters: {b: {value: 2}}}]}",
                "sweep config: parameters.b: is declared twice");
        assertError("method: random\nparameters:\n  a: {values: [{parameters: {b: {value: 1}}}]}",
                "sweep config: parameters.a.values[0].value: is required");
        assertError("method: random\nparameters:\n  a: {values: [{value: p, parameters: {b: {value: 1}}, extra: 1}]}",
                "sweep config: parameters.a.values[0].extra: unknown key");
        assertError("method: random\nparameters:\n  a: {values: [{value: p, parameters: [1]}]}",
                "sweep config: parameters.a.values[0].parameters: must be a mapping of parameters");
        assertError("method: grid\nparameters:\n  a: {values: [{value: p, parameters: {b: {min: 0.0, max: 1.0}}}]}",
                "sweep config: parameters.b: method grid needs value, values, int_uniform or q_uniform, not uniform");
        // a mapping without parameters stays a plain (W&B) value
        SweepConfig plain = SweepConfigParser.parse("method: random\nparameters:\n  a: {values: [{depth: 2}, {depth: 3}]}");
        assertEquals(List.of("a"), plain.space().names());
    }

    @Test
    void gridWalksEachBranchOnceLastParameterFastest() {
        Sampler grid = Sampler.of(SweepConfigParser.parse("""
                method: grid
                parameters:
                  opt:
                    values:
                      - value: sgd
                        parameters: {momentum: {values: [0.0, 0.9]}}
                      - value: adam
                        parameters: {beta1: {values: [0.9, 0.99, 0.999]}, amsgrad: {values: [true, false]}}
                      - rmsprop
                  lr: {values: [0.1, 0.01]}
                """));
        SweepConfig c = SweepConfigParser.parse("method: grid\nparameters: {x: {value: 1}}");
        assertEquals(1, ((GridSampler) Sampler.of(c)).size());
        assertEquals((2 + 3 * 2 + 1) * 2, ((GridSampler) grid).size());
        List<Map<String, Object>> all = new ArrayList<>();
        for (int n = 0; ; n++) {
            var p = grid.suggest(n, List.of());
            if (p.isEmpty()) {
                break;
            }
            all.add(p.get());
        }
        assertEquals(18, all.size());
        assertEquals(18, new HashSet<>(all).size(), "no combination twice");
        assertEquals(Map.of("opt", "sgd", "momentum", 0.0, "lr", 0.1), all.get(0));
        assertEquals(Map.of("opt", "sgd", "momentum", 0.0, "lr", 0.01), all.get(1));
        assertEquals(Map.of("opt", "sgd", "momentum", 0.9, "lr", 0.1), all.get(2));
        assertEquals(Map.of("opt", "adam", "beta1", 0.9, "amsgrad", true, "lr", 0.1), all.get(4));
        assertEquals(Map.of("opt", "adam", "beta1", 0.9, "amsgrad", false, "lr", 0.1), all.get(6));
        assertEquals(Map.of("opt", "rmsprop", "lr", 0.01), all.get(17));
        assertEquals(List.of("opt", "beta1", "amsgrad", "lr"), new ArrayList<>(all.get(4).keySet()), "declaration order");
    }

    @Test
    void randomDrawsOnlyActiveParametersAndEveryBranch() {
        SweepConfig c = config("random", 3, false);
        Sampler random = Sampler.of(c);
        Map<String, Integer> models = new HashMap<>();
        int withK = 0;
        for (int n = 0; n < 2000; n++) {
            Map<String, Object> p = random.suggest(n, List.of()).orElseThrow();
            assertTrue(c.space().contains(p), () -> "not a point of the space: " + p);
            models.merge((String) p.get("model"), 1, Integer::sum);
            withK += p.containsKey("k") ? 1 : 0;
        }
        assertEquals(Set.of("quad", "bowl", "constant"), models.keySet());
        assertEquals(2000 / 6.0, withK, 60, "k exists in one trial of six (bowl, then round)");
        assertEquals(random.suggest(77, List.of()), Sampler.of(config("random", 3, false)).suggest(77, List.of()), "reproducible");
    }

    @Test
    void tpeBeatsRandomOnAConditionalFunction() {
        double random = median("random", false);
        double tpe = median("tpe", false);
        double multivariate = median("tpe", true);
        System.out.printf("conditional function, 60 trials, median best of 10 seeds: random %.3f, TPE %.3f, multivariate TPE %.3f%n",
                random, tpe, multivariate);
        assertTrue(tpe < random, "TPE " + tpe + " vs random " + random);
        assertTrue(multivariate < random, "multivariate TPE " + multivariate + " vs random " + random);
        assertTrue(tpe < 0.3, "TPE finds the bowl's round branch near its minimum: " + tpe);
    }

    private static double median(String method, boolean multivariate) {
        double[] best = new double[10];
        for (int seed = 0; seed < best.length; seed++) {
            SweepConfig c = config(method, seed, multivariate);
            Sampler s = Sampler.of(c);
            List<Observation> history = new ArrayList<>();
            best[seed] = Double.POSITIVE_INFINITY;
            for (int n = 0; n < 60; n++) {
                Map<String, Object> p = s.suggest(n, history).orElseThrow();
                assertTrue(c.space().contains(p), () -> "not a point of the space: " + p);
                double y = objective(p);
                best[seed] = Math.min(best[seed], y);
                history.add(new Observation(n, TrialState.COMPLETE, p, y));
            }
            // the same seed and history give the same suggestion
            assertEquals(s.suggest(60, history), Sampler.of(c).suggest(60, history));
        }
        Arrays.sort(best);
        return (best[4] + best[5]) / 2;
    }

    /**
     * The good trials are all bowl trials with u near 7, among many quad and constant trials that have no u:
     * TPE, fitting u on the trials that had it, sends bowl suggestions near 7.
     */
    @Test
    void tpeModelsAConditionalParameterOnTheTrialsWhereItWasActive() {
        for (boolean multivariate : new boolean[] {false, true}) {
            SweepConfig c = config("tpe", 11, multivariate);
            Random r = new Random(5);
            List<Observation> history = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("lr", 0.3);
                if (n % 4 == 0) {
                    p.put("model", "bowl");
                    p.put("u", 10 * r.nextDouble());
                    p.put("v", 3.0);
                    p.put("shape", "flat");
                    history.add(new Observation(n, TrialState.COMPLETE, p, Math.abs((Double) p.get("u") - 7)));
                } else if (n % 4 == 1) {
                    p.put("model", "constant");
                    history.add(new Observation(n, TrialState.COMPLETE, p, 12 + r.nextDouble()));
                } else {
                    p.put("model", "quad");
                    p.put("x", 10 * r.nextDouble() - 5);
                    history.add(new Observation(n, TrialState.COMPLETE, p, 10 + r.nextDouble()));
                }
            }
            Sampler tpe = Sampler.of(c);
            List<Double> us = new ArrayList<>();
            for (int n = 40; n < 80; n++) {
                Map<String, Object> p = tpe.suggest(n, history).orElseThrow();
                assertTrue(c.space().contains(p), () -> "not a point of the space: " + p);
                if (p.get("model").equals("bowl")) {
                    us.add(Math.abs((Double) p.get("u") - 7));
                }
            }
            us.sort(Double::compare);
            assertTrue(us.size() >= 30, "the good trials' model is suggested most: " + us.size() + " of 40");
            assertTrue(us.get(us.size() / 2) < 1.0, "u near 7 (median distance " + us.get(us.size() / 2) + ", 2.5 at random)");
        }
    }

    private static void assertError(String text, String prefix) {
        LabbookException e = assertThrows(LabbookException.class, () -> SweepConfigParser.parse(text));
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected '" + prefix + "...' but got: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }
}
