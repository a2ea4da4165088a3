package dev.labbook.store.transfer;

import static dev.labbook.store.transfer.SourceDatabase.asLong;
import static dev.labbook.store.transfer.SourceDatabase.asString;

import dev.labbook.core.LabbookException;
import dev.labbook.store.transfer.MlflowImport.ImportContext;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;

/** MLflow's experiments and their tags, with their ids. */
final class ExperimentImport {
    static final String KIND = "experiments";
    private final ImportContext ctx;

    ExperimentImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        SourceDatabase src = ctx.src;
        List<Object[]> rows = src.rows("SELECT experiment_id, name, artifact_location, lifecycle_stage, "
                + src.columnOr("experiments", "creation_time", "NULL") + ", "
                + src.columnOr("experiments", "last_update_time", "NULL") + " FROM experiments ORDER BY experiment_id");
        List<Object[]> tags = src.hasTable("experiment_tags")
                ? src.rows("SELECT experiment_id, key, value FROM experiment_tags ORDER BY experiment_id, key")
                : List.of();
        long now = System.currentTimeMillis();
        ctx.db.write(h -> {
            for (Object[] r : rows) {
                long id = asLong(r[0]);
                String name = asString(r[1]);
                Optional<String> sameId = h.createQuery("SELECT name FROM experiments WHERE experiment_id = ?")
                        .bind(0, id).mapTo(String.class).findOne();
                if (sameId.isPresent()) {
                    if (!sameId.get().equals(name)) {
                        throw LabbookException.invalid("Experiment id %d is '%s' in MLflow but '%s' in the Labbook store: "
                                + "import into a store that does not have this experiment id", id, name, sameId.get());
                    }
                    ctx.tally.present(KIND, 1);
                    continue;
                }
                Optional<Long> sameName = h.createQuery("SELECT experiment_id FROM experiments WHERE name = ?")
                        .bind(0, name).mapTo(Long.class).findOne();
                if (sameName.isPresent()) {
                    throw LabbookException.invalid("Experiment '%s' has id %d in MLflow but id %d in the Labbook store: "
                            + "import into a store that does not have this experiment name", name, id, sameName.get());
                }
                String stage = r[3] == null ? "active" : asString(r[3]);
                long created = r[4] == null ? now : asLong(r[4]);
                long updated = r[5] == null ? created : asLong(r[5]);
                String location = ctx.locations.locate(asString(r[2]), Long.toString(id)).uri();
                h.createUpdate("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,"
                                + " creation_time, last_update_time, deleted_time) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, id).bind(1, name).bind(2, location).bind(3, stage).bind(4, created).bind(5, updated)
                        .bind(6, "deleted".equals(stage) ? updated : null).execute();
                ctx.tally.added(KIND, 1);
            }
            if (!tags.isEmpty()) {
                PreparedBatch b = h.prepareBatch(
                        "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
                for (Object[] t : tags) {
                    b.bind(0, asLong(t[0])).bind(1, asString(t[1])).bind(2, asString(t[2])).add();
                }
                ctx.count("experiment tags", b.execute());
            }
            return null;
        });
        ctx.progress.accept(String.format("experiments: %,d", rows.size()));
    }
}
