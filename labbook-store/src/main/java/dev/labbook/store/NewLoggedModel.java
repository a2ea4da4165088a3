package dev.labbook.store;

import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import java.util.List;

/**
 * What a client gives to create a logged model.
 *
 * @param name may be null: a name is generated, as MLflow does
 * @param modelType may be null
 * @param sourceRunId the run that produced the model, may be null
 */
public record NewLoggedModel(
        String experimentId,
        String name,
        String modelType,
        String sourceRunId,
        List<LoggedModelParameter> params,
        List<LoggedModelTag> tags) {

    public NewLoggedModel {
        params = List.copyOf(params);
        tags = List.copyOf(tags);
    }
}
