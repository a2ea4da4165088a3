package dev.labbook.store.jdbc;

import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.model.LifecycleStage;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A logged model's row with its surrogate key, which never leaves the store. */
record LoggedModelRow(
        long modelPk,
        String modelId,
        long experimentId,
        String name,
        String artifactLocation,
        long creationTimestampMs,
        long lastUpdatedTimestampMs,
        LoggedModelStatus status,
        String statusMessage,
        String modelType,
        String sourceRunId,
        LifecycleStage lifecycleStage) {

    /** The columns {@link #map} reads, of {@code logged_models m}. */
    static final String COLUMNS = "m.model_pk, m.model_id, m.experiment_id, m.name, m.artifact_location,"
            + " m.creation_timestamp_ms, m.last_updated_timestamp_ms, m.status, m.status_message, m.model_type,"
            + " m.source_run_id, m.lifecycle_stage";

    static LoggedModelRow map(ResultSet rs) throws SQLException {
        return new LoggedModelRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7), LoggedModelStatus.valueOf(rs.getString(8)), rs.getString(9),
                rs.getString(10), rs.getString(11), LifecycleStage.parse(rs.getString(12)));
    }

    boolean active() {
        return lifecycleStage == LifecycleStage.ACTIVE;
    }
}
