package dev.labbook.train.pipeline;

import dev.labbook.train.eval.Evaluation;
import java.util.Map;

/**
 * What a finished training run reports.
 *
 * @param metrics every final metric logged (test_*, val_*, times)
 * @param featureSeconds feature building time
 * @param trainSeconds fitting time
 * @param trackingSeconds time spent logging to the tracker
 */
public record TrainResult(String runId, Evaluation test, Evaluation validation, Map<String, Double> metrics,
                          double featureSeconds, double trainSeconds, double trackingSeconds) {}
