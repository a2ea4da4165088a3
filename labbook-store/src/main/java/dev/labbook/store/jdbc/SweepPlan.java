package dev.labbook.store.jdbc;

import dev.labbook.sweep.config.Method;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.prune.Pruner;
import dev.labbook.sweep.sampler.GridSampler;
import dev.labbook.sweep.sampler.Sampler;

/** A stored sweep's configuration with the sampler and pruner it asks for (all stateless). */
record SweepPlan(SweepConfig config, Sampler sampler, Pruner pruner, long gridSize) {

    static SweepPlan of(String configJson) {
        SweepConfig c = SweepConfigParser.parse(configJson);
        Sampler sampler = Sampler.of(c);
        long grid = c.method() == Method.GRID ? ((GridSampler) sampler).size() : Long.MAX_VALUE;
        return new SweepPlan(c, sampler, Pruner.of(c.earlyTerminate(), c.metric() == null ? null : c.metric().goal()), grid);
    }

    /** True when no new first attempt may start: the run cap or the end of the grid was reached. */
    boolean exhausted(int firstAttempts) {
        return (config.runCap() > 0 && firstAttempts >= config.runCap()) || firstAttempts >= gridSize;
    }

    long leaseMillis() {
        return config.leaseSeconds() * 1000;
    }

    /** The metric trials are judged by, or null when the sweep has none. */
    String metricName() {
        return config.metric() == null ? null : config.metric().name();
    }
}
