package dev.labbook.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.sweep.space.Distribution;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepConfigParserTest {

    @Test
    void readsAWandbFileWithDefaultDistributions() {
        SweepConfig c = SweepConfigParser.parse("""
                name: nblr
                method: bayes
                metric: {name: val_accuracy, goal: maximize, target: 0.95}
                program: train.py
                parameters:
                  epochs: {value: 3}
                  optimizer: {values: [adam, sgd], probabilities: [0.75, 0.25]}
                  layers: {min: 1, max: 4}
                  dropout: {min: 0.0, max: 0.5}
                  lr: {distribution: log_uniform_values, min: 1.0e-4, max: 0.1}
                  batch: {distribution: q_log_uniform_values, min: 16, max: 512, q: 16}
                  step: {distribution: q_uniform, min: 0, max: 1, q: 0.25}
                  noise: {distribution: normal}
                  scale: {distribution: log_normal, mu: 1, sigma: 0.5}
                  model:
                    parameters:
                      width: {values: [32, 64]}
                early_terminate: {type: hyperband, min_iter: 3}
                run_cap: 20
                seed: 7
                """);
        assertEquals(Method.TPE, c.method());
        assertEquals(new MetricSpec("val_accuracy", Goal.MAXIMIZE, 0.95), c.metric());
        assertEquals(List.of("epochs", "optimizer", "layers", "dropout", "lr", "batch", "step", "noise", "scale", "model.width"),
                c.space().names());
        assertEquals(new Distribution.Constant(3L), c.space().dimension("epochs").distribution());
        assertEquals(new Distribution.IntUniform(1, 4), c.space().dimension("layers").distribution());
        assertEquals(new Distribution.Uniform(0, 0.5), c.space().dimension("dropout").distribution());
        assertEquals(new Distribution.LogUniformValues(1e-4, 0.1), c.space().dimension("lr").distribution());
        assertEquals(new Distribution.QLogUniformValues(16, 512, 16, true), c.space().dimension("batch").distribution());
        assertEquals(new Distribution.QUniform(0, 1, 0.25, false), c.space().dimension("step").distribution());
        assertEquals(new Distribution.Normal(0, 1), c.space().dimension("noise").distribution());
        assertEquals(new Distribution.LogNormal(1, 0.5), c.space().dimension("scale").distribution());
        Distribution.Categorical opt = assertInstanceOf(Distribution.Categorical.class, c.space().dimension("optimizer").distribution());
        assertEquals(List.of("adam", "sgd"), opt.values());
        assertEquals(0.75, opt.probabilities()[0]);
        assertEquals(new EarlyTerminate.Hyperband(3, 3, 0, 1), c.earlyTerminate());
        assertEquals(20, c.runCap());
        assertEquals(7, c.seed());
        assertEquals(SweepConfig.DEFAULT_COMMAND, c.command());
        assertEquals(TpeOptions.DEFAULTS, c.tpe());
    }

    @Test
    void readsJsonAndFillsDefaults() {
        SweepConfig c = SweepConfigParser.parse("""
                {"method": "random", "parameters": {"x": {"values": [1, 2, 3]}},
                 "early_terminate": {"type": "median"}, "metric": {"name": "loss"}}
                """);
        assertEquals(Goal.MINIMIZE, c.metric().goal());
        assertNull(c.metric().target());
        assertEquals(new EarlyTerminate.Median(5, 0, 1, 1), c.earlyTerminate());
        assertEquals(0, c.runCap());
        assertTrue(c.json().contains("\"seed\":" + c.seed()), "the chosen seed is kept in the stored config: " + c.json());
        assertEquals(new EarlyTerminate.Asha(1, 4, 100), SweepConfigParser.parse("""
                method: random
                metric: {name: loss}
                parameters: {x: {value: 1}}
                early_terminate: {type: asha}
                """).earlyTerminate());
        assertEquals(new EarlyTerminate.Hyperband(3, 3, 81, 1), SweepConfigParser.parse("""
                method: random
                metric: {name: loss}
                parameters: {x: {value: 1}}
                early_terminate: {type: hyperband, max_iter: 81, s: 3}
                """).earlyTerminate());
    }

    @Test
    void aBadFileGetsOneLineNamingTheKey() {
        assertError("method: grid\nparameters: {x: {value: 1}}\nfoo: 1", "sweep config: foo: unknown key; allowed here: ");
        assertError("parameters: {x: {value: 1}}", "sweep config: method: is required: grid, random, bayes or tpe");
        assertError("method: annealing\nparameters: {x: {value: 1}}", "sweep config: method: 'annealing' is not one of grid, random, bayes, tpe");
        assertError("method: random\nparameters: {lr: {distribution: gauss, min: 0, max: 1}}",
                "sweep config: parameters.lr.distribution: 'gauss' is not one of constant, categorical, int_uniform, uniform, "
                        + "q_uniform, log_uniform_values, q_log_uniform_values, normal, log_normal");
        assertError("method: random\nparameters: {lr: {min: 1, max: 0}}", "sweep config: parameters.lr: min (1.0) must not be above max (0.0)");
        assertError("method: random\nparameters: {lr: {distribution: log_uniform_values, min: 0, max: 1}}",
                "sweep config: parameters.lr.min: must be above 0 for a log distribution");
        assertError("method: random\nparameters: {a: {values: [1, 2], probabilities: [0.5]}}",
                "sweep config: parameters.a.probabilities: must be a list of 2 numbers, one per value");
        assertError("method: random\nparameters: {a: {values: [1, 2], probabilities: [0.5, 0.6]}}",
                "sweep config: parameters.a.probabilities: must add up to 1");
        assertError("method: bayes\nparameters: {x: {min: 0.0, max: 1.0}}", "sweep config: metric: is required with method bayes");
        assertError("method: grid\nparameters: {x: {min: 0.0, max: 1.0}}",
                "sweep config: parameters.x: method grid needs value, values, int_uniform or q_uniform, not uniform");
        assertError("method: random\nmetric: {name: m, goal: up}\nparameters: {x: {value: 1}}",
                "sweep config: metric.goal: 'up' is not one of minimize, maximize");
        assertError("method: random\nmetric: {name: m}\nparameters: {x: {value: 1}}\nearly_terminate: {type: bohb}",
                "sweep config: early_terminate.type: 'bohb' is not one of hyperband, asha, median");
        assertError("method: random\nmetric: {name: m}\nparameters: {x: {value: 1}}\nearly_terminate: {type: hyperband}",
                "sweep config: early_terminate.min_iter: is required by hyperband");
        assertError("method: random\nparameters: {x: {value: 1}}\nrun_cap: many", "sweep config: run_cap: must be an integer");
        assertError("method: random\nparameters: {x: {mn: 1}}", "sweep config: parameters.x.mn: unknown key; allowed here: ");
        assertError("method: [", "sweep config: not valid YAML or JSON");
        assertError("- 1\n- 2", "sweep config: the file must be a mapping");
        assertError("method: random\nparameters: {}", "sweep config: parameters: is required");
        assertError("method: random\nparameters: {x: {distribution: q_uniform, min: 0.1, max: 0.2, q: 1}}",
                "sweep config: parameters.x.q: no multiple of 1.0 lies in [0.1, 0.2]");
    }

    private static void assertError(String text, String prefix) {
        LabbookException e = assertThrows(LabbookException.class, () -> SweepConfigParser.parse(text));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected '" + prefix + "...' but got: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }
}
