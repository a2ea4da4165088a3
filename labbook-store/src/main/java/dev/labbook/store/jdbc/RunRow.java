package dev.labbook.store.jdbc;

import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunStatus;

/** A run's row with its surrogate key, which never leaves the store. */
record RunRow(long runPk, long experimentId, RunInfo info) {
    static final String COLUMNS =
            "r.run_pk, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    static RunRow map(java.sql.ResultSet rs) throws java.sql.SQLException {
        long endTime = rs.getLong(8);
        Long end = rs.wasNull() ? null : endTime;
        String uuid = rs.getString(2);
        long exp = rs.getLong(3);
        return new RunRow(rs.getLong(1), exp, new RunInfo(uuid, uuid, rs.getString(4), Long.toString(exp),
                rs.getString(5), RunStatus.valueOf(rs.getString(6)), rs.getLong(7), end, rs.getString(9),
                LifecycleStage.parse(rs.getString(10))));
    }

    boolean active() {
        return info.lifecycleStage() == LifecycleStage.ACTIVE;
    }
}
