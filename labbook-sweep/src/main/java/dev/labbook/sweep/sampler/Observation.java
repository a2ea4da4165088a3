package dev.labbook.sweep.sampler;

import dev.labbook.sweep.TrialState;
import java.util.Map;

/**
 * What a sampler knows of one earlier trial: its number, state, parameters and (when finished, or
 * pruned after reporting) its metric value; null when there is none yet.
 */
public record Observation(int number, TrialState state, Map<String, Object> params, Double value) {
    public Observation {
        params = Map.copyOf(params);
    }
}
