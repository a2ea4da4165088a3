package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelParameter;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.loggedmodel.LoggedModelTag;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.ModelOutput;
import dev.labbook.core.model.Page;
import dev.labbook.store.LoggedModelQuery;
import dev.labbook.store.LoggedModelStore;
import dev.labbook.store.NewLoggedModel;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Logged models on the tracking database (they belong to its experiments and runs). Each public
 * method is one transaction.
 */
public final class JdbcLoggedModelStore implements LoggedModelStore {
    /** The folder of an experiment's location that holds its logged models, as in MLflow 3. */
    static final String MODELS_FOLDER = "models";

    private final Database db;
    private final LoggedModelSearch search;

    /** A store on {@code db}; closing the store does not close the database. */
    public JdbcLoggedModelStore(Database db) {
        this.db = db;
        this.search = new LoggedModelSearch(db.dialect());
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public LoggedModel createLoggedModel(NewLoggedModel m) {
        String name = m.name() == null || m.name().isEmpty() ? RunNames.random() : m.name();
        return db.write(h -> {
            Experiment e = ExperimentDao.require(h, m.experimentId());
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid(
                        "The experiment %s must be in the 'active' state. Current state is deleted.", m.experimentId());
            }
            String modelId = "m-" + UUID.randomUUID().toString().replace("-", "");
            String base = e.artifactLocation() == null ? "mlflow-artifacts:/" + e.experimentId() : e.artifactLocation();
            String location = base + (base.endsWith("/") ? "" : "/") + MODELS_FOLDER + "/" + modelId + "/artifacts";
            long pk = LoggedModelDao.insert(h, modelId, Long.parseLong(e.experimentId()), name, location, now(),
                    m.modelType(), m.sourceRunId() == null || m.sourceRunId().isEmpty() ? null : m.sourceRunId());
            LoggedModelRow row = LoggedModelDao.find(h, modelId).orElseThrow();
            LoggedModelDao.insertParams(h, row, m.params());
            LoggedModelDao.upsertTags(h, pk, m.tags());
            return LoggedModelAssembler.one(h, row);
        });
    }

    @Override
    public Optional<LoggedModel> getLoggedModel(String modelId) {
        return db.read(h -> LoggedModelDao.find(h, modelId).filter(LoggedModelRow::active)
                .map(row -> LoggedModelAssembler.one(h, row)));
    }

    @Override
    public LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status) {
        if (status != LoggedModelStatus.LOGGED_MODEL_READY && status != LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED) {
            throw LabbookException.invalid("Invalid status '%s' to finalize logged model '%s'; expected "
                    + "LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED", status, modelId);
        }
        return db.write(h -> {
            LoggedModelRow row = LoggedModelDao.requireActive(h, modelId);
            LoggedModelDao.setStatus(h, row.modelPk(), status, now());
            return LoggedModelAssembler.one(h, LoggedModelDao.find(h, modelId).orElseThrow());
        });
    }

    @Override
    public void deleteLoggedModel(String modelId) {
        db.write(h -> {
            LoggedModelDao.setLifecycle(h, LoggedModelDao.requireActive(h, modelId).modelPk(), LifecycleStage.DELETED, now());
            return null;
        });
    }

    @Override
    public LoggedModel setLoggedModelTags(String modelId, List<LoggedModelTag> tags) {
        return db.write(h -> {
            LoggedModelRow row = LoggedModelDao.requireActive(h, modelId);
            LoggedModelDao.upsertTags(h, row.modelPk(), tags);
            LoggedModelDao.touch(h, row.modelPk(), now());
            return LoggedModelAssembler.one(h, LoggedModelDao.find(h, modelId).orElseThrow());
        });
    }

    /**
     * The model row is updated (its last-update time) before the tag is read: that takes the
     * row's lock on PostgreSQL (on SQLite the write transaction holds the database's), so a
     * second update of the tag, from any replica, reads the first one's value.
     */
    @Override
    public boolean updateLoggedModelTag(String modelId, String key, java.util.function.UnaryOperator<String> update) {
        return db.write(h -> {
            var row = LoggedModelDao.find(h, modelId).filter(LoggedModelRow::active);
            if (row.isEmpty()) {
                return false;
            }
            long pk = row.get().modelPk();
            LoggedModelDao.touch(h, pk, now());
            String old = h.createQuery("SELECT value FROM logged_model_tags WHERE model_pk = ? AND key = ?")
                    .bind(0, pk).bind(1, key).mapTo(String.class).findOne().orElse(null);
            LoggedModelDao.upsertTags(h, pk, List.of(new LoggedModelTag(key, update.apply(old))));
            return true;
        });
    }

    @Override
    public void deleteLoggedModelTag(String modelId, String key) {
        db.write(h -> {
            LoggedModelRow row = LoggedModelDao.requireActive(h, modelId);
            LoggedModelDao.deleteTag(h, row, key);
            LoggedModelDao.touch(h, row.modelPk(), now());
            return null;
        });
    }

    @Override
    public void logLoggedModelParams(String modelId, List<LoggedModelParameter> params) {
        db.write(h -> {
            LoggedModelDao.insertParams(h, LoggedModelDao.requireActive(h, modelId), params);
            return null;
        });
    }

    @Override
    public Page<LoggedModel> searchLoggedModels(LoggedModelQuery query) {
        return db.snapshot(h -> search.search(h, query));
    }

    @Override
    public void logOutputs(String runId, List<ModelOutput> models) {
        db.write(h -> {
            RunModelsDao.insertOutputs(h, RunDao.requireActiveLocked(h, runId).runPk(), models);
            return null;
        });
    }

    @Override
    public void close() {
        // the database belongs to whoever opened it
    }
}
