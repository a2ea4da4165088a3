package dev.labbook.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/** A registered model's row with its surrogate key, which never leaves the store. */
record ModelRow(long pk, String name, String description, String userId, long creationTime, long lastUpdatedTime) {
    /** The columns {@link #map} reads, from {@code registered_models m}. */
    static final String COLUMNS = "m.model_pk, m.name, m.description, m.user_id, m.creation_time, m.last_updated_time";

    static ModelRow map(ResultSet rs) throws SQLException {
        return new ModelRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
    }
}
