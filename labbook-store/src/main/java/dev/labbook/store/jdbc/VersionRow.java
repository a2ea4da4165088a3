package dev.labbook.store.jdbc;

import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersionStatus;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A model version's row, with the model's surrogate key and current name. */
record VersionRow(
        long modelPk,
        String name,
        long version,
        long creationTime,
        long lastUpdatedTime,
        String userId,
        ModelStage stage,
        String description,
        String source,
        String runId,
        ModelVersionStatus status,
        String statusMessage,
        String runLink,
        String modelId) {

    /** The columns {@link #map} reads. */
    static final String COLUMNS = "v.model_pk, m.name, v.version, v.creation_time, v.last_updated_time, v.user_id,"
            + " v.current_stage, v.description, v.source, v.run_id, v.status, v.status_message, v.run_link, v.model_id";
    /** Versions joined to their model, for the name. */
    static final String FROM = " FROM model_versions v JOIN registered_models m ON m.model_pk = v.model_pk";

    /** Identifies a version across models. */
    record Key(long modelPk, long version) {}

    Key key() {
        return new Key(modelPk, version);
    }

    static VersionRow map(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6), ModelStage.parse(rs.getString(7)), rs.getString(8), rs.getString(9),
                rs.getString(10), ModelVersionStatus.valueOf(rs.getString(11)), rs.getString(12), rs.getString(13), rs.getString(14));
    }
}
