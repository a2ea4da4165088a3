package dev.labbook.core.model;

import java.util.List;

/**
 * What was logged to a run.
 *
 * @param metrics the latest value of each metric key (by step, then timestamp, then value)
 */
public record RunData(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    public RunData {
        metrics = List.copyOf(metrics);
        params = List.copyOf(params);
        tags = List.copyOf(tags);
    }
}
