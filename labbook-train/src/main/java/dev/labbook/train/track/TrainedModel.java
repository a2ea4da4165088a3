package dev.labbook.train.track;

import java.util.Map;

/**
 * What a trained model is, for the MLflow 3 logged model that stands for it beside the run's
 * {@code model/} artifact: users of MLflow 3's model views see it with its params and metrics.
 *
 * @param name the logged model's name, e.g. {@code sentiment-nblr}
 * @param modelType the flavor, e.g. {@code nblr}
 * @param params the hyperparameters the model was trained with
 * @param metrics its evaluation metrics (test and validation), logged with the model's id
 */
public record TrainedModel(String name, String modelType, Map<String, String> params, Map<String, Double> metrics) {
    public TrainedModel {
        params = Map.copyOf(params);
        metrics = Map.copyOf(metrics);
    }
}
