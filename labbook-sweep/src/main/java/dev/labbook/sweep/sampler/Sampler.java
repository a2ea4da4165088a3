package dev.labbook.sweep.sampler;

import dev.labbook.sweep.config.SweepConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the parameters of a sweep's next trial. Reproducible: the same configuration (seed
 * included), trial number and history give the same answer.
 */
public interface Sampler {

    /**
     * The parameters of trial {@code number} (0-based, counting only first attempts), by flat
     * dotted names, or empty when the space is exhausted (a grid that has been walked).
     *
     * @param history the sweep's earlier trials, in any state
     */
    Optional<Map<String, Object>> suggest(int number, List<Observation> history);

    /** The sampler a sweep configuration asks for. */
    static Sampler of(SweepConfig config) {
        return switch (config.method()) {
            case GRID -> new GridSampler(config.space());
            case RANDOM -> new RandomSampler(config.space(), config.seed());
            case TPE -> new TpeSampler(config.space(), config.metric().goal(), config.seed(), config.tpe());
        };
    }

    /** Mixes a sweep seed and a trial number into the seed of that trial's generator (SplitMix64). */
    static long seedFor(long seed, int number, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
