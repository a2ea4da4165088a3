package dev.labbook.core.loggedmodel;

import java.util.List;

/**
 * The attributes of a logged model, named as MLflow 3's LoggedModelInfo message.
 *
 * @param modelId {@code m-} followed by 32 hex digits
 * @param artifactUri where its files are: {@code <experiment location>/models/<model_id>/artifacts}
 * @param modelType free text such as "Agent" or "Classifier", or null
 * @param sourceRunId the run that produced it, or null
 * @param statusMessage details on the status, or null
 */
public record LoggedModelInfo(
        String modelId,
        String experimentId,
        String name,
        long creationTimestampMs,
        long lastUpdatedTimestampMs,
        String artifactUri,
        LoggedModelStatus status,
        String modelType,
        String sourceRunId,
        String statusMessage,
        List<LoggedModelTag> tags) {

    public LoggedModelInfo {
        tags = List.copyOf(tags);
    }
}
