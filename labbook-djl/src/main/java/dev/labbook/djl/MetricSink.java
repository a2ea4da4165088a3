package dev.labbook.djl;

import java.util.Map;

/**
 * Where {@link LabbookTrainingListener} sends metrics: a Labbook run, or anything else that takes
 * named values at a step. Implementations must be cheap or buffered; they are called on the
 * training thread.
 */
@FunctionalInterface
public interface MetricSink {

    /** Logs {@code metrics} at {@code step}. */
    void log(Map<String, Double> metrics, long step);
}
