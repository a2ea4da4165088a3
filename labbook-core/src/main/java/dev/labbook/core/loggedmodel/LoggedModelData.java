package dev.labbook.core.loggedmodel;

import dev.labbook.core.model.Metric;
import java.util.List;

/**
 * A logged model's params and the metric points logged for it (with their run and dataset).
 */
public record LoggedModelData(List<LoggedModelParameter> params, List<Metric> metrics) {
    public LoggedModelData {
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
    }
}
