package dev.labbook.sweep.sampler;

import dev.labbook.sweep.TrialState;
import java.util.Map;

/**
 * What a sampler knows of one earlier trial: its number, state, parameters (its active ones only)
 * and, when finished or pruned after reporting, its metric value (null when there is none yet);
 * for a pruned trial, the step that value was reported at (null otherwise or when unknown).
 */
public record Observation(int number, TrialState state, Map<String, Object> params, Double value, Long step) {
    public Observation {
        params = Map.copyOf(params);
    }

    /** An observation without a step: a trial that is not pruned. */
    public Observation(int number, TrialState state, Map<String, Object> params, Double value) {
        this(number, state, params, value, null);
    }
}
