package dev.labbook.store;

import dev.labbook.core.model.RunTag;
import java.util.List;

/**
 * What a client gives to create a run.
 *
 * @param runName null to let the store pick a memorable name
 */
public record NewRun(String experimentId, String userId, long startTime, String runName, List<RunTag> tags) {
    public NewRun {
        tags = List.copyOf(tags);
    }
}
