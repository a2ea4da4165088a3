package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.MetricWithRunId;
import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunInfo;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.store.ExperimentQuery;
import dev.labbook.store.NewRun;
import dev.labbook.store.RunQuery;
import dev.labbook.store.TrackingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The tracking store on a SQL database (SQLite by default). Each public method is one
 * transaction; the SQL lives in the package's DAOs, one per aggregate.
 */
public final class JdbcTrackingStore implements TrackingStore {
    private final Database db;
    private final boolean ownsDatabase;
    private final RunSearch runSearch;
    private final ExperimentSearch experimentSearch;
    /**
     * False once no series logged before blocks existed (V3) is left. Safe with several replicas:
     * every writer, in any process, builds blocks as it logs, so no stale series can appear once
     * the database had none; each replica finds that out by itself.
     */
    private volatile boolean staleSeriesLeft = true;

    /** A store on {@code db}; closing the store does not close a database it was given. */
    public JdbcTrackingStore(Database db) {
        this(db, false);
    }

    private JdbcTrackingStore(Database db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.runSearch = new RunSearch(db.dialect());
        this.experimentSearch = new ExperimentSearch(db.dialect());
        db.write(h -> {
            ExperimentDao.ensureDefault(h, now());
            return null;
        });
    }

    /** Opens a store that owns its database, from a URI such as {@code sqlite:///abs/path.db}. */
    public static JdbcTrackingStore open(String uri) {
        return new JdbcTrackingStore(Database.open(uri), true);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public String createExperiment(String name, String artifactLocation, List<ExperimentTag> tags) {
        return db.write(h -> {
            long id = ExperimentDao.insert(h, name, artifactLocation, now());
            if (artifactLocation == null || artifactLocation.isEmpty()) {
                ExperimentDao.setArtifactLocation(h, id, "mlflow-artifacts:/" + id);
            }
            for (ExperimentTag t : tags) {
                ExperimentDao.setTag(h, id, t);
            }
            return Long.toString(id);
        });
    }

    @Override
    public Optional<Experiment> getExperiment(String experimentId) {
        OptionalLong id = Ids.experiment(experimentId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return db.read(h -> ExperimentDao.get(h, id.getAsLong()));
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        return db.read(h -> ExperimentDao.getByName(h, name));
    }

    @Override
    public Page<Experiment> searchExperiments(ExperimentQuery query) {
        return db.read(h -> experimentSearch.search(h, query));
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        db.write(h -> {
            Experiment e = ExperimentDao.require(h, experimentId);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid("Cannot rename a non-active experiment %s", experimentId);
            }
            ExperimentDao.rename(h, Long.parseLong(e.experimentId()), newName, now());
            return null;
        });
    }

    @Override
    public void deleteExperiment(String experimentId) {
        if ("0".equals(experimentId)) {
            throw LabbookException.invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }
        setExperimentLifecycle(experimentId, LifecycleStage.DELETED);
    }

    @Override
    public void restoreExperiment(String experimentId) {
        setExperimentLifecycle(experimentId, LifecycleStage.ACTIVE);
    }

    private void setExperimentLifecycle(String experimentId, LifecycleStage stage) {
        db.write(h -> {
            Experiment e = ExperimentDao.require(h, experimentId);
            if (e.lifecycleStage() == stage) {
                throw LabbookException.invalid("Cannot %s experiment %s: it is already %s",
                        stage == LifecycleStage.DELETED ? "delete" : "restore", experimentId, stage);
            }
            ExperimentDao.setLifecycle(h, Long.parseLong(e.experimentId()), stage, now());
            return null;
        });
    }

    @Override
    public void setExperimentTag(String experimentId, ExperimentTag tag) {
        db.write(h -> {
            Experiment e = ExperimentDao.require(h, experimentId);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid("The experiment %s must be in the 'active' state.", experimentId);
            }
            ExperimentDao.setTag(h, Long.parseLong(e.experimentId()), tag);
            return null;
        });
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        db.write(h -> {
            Experiment e = ExperimentDao.require(h, experimentId);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid("The experiment %s must be in the 'active' state.", experimentId);
            }
            if (!ExperimentDao.deleteTag(h, Long.parseLong(e.experimentId()), key)) {
                throw LabbookException.notFound("No tag with name: %s in experiment with id %s", key, experimentId);
            }
            return null;
        });
    }

    @Override
    public RunInfo createRun(NewRun run) {
        return db.write(h -> {
            Experiment e = ExperimentDao.require(h, run.experimentId());
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw LabbookException.invalid(
                        "The experiment %s must be in the 'active' state. Current state is deleted.", run.experimentId());
            }
            String name = run.runName();
            for (RunTag t : run.tags()) {
                if (t.key().equals(RunDao.RUN_NAME_TAG) && (name == null || name.isEmpty())) {
                    name = t.value();
                }
            }
            if (name == null || name.isEmpty()) {
                name = RunNames.random();
            }
            String uuid = UUID.randomUUID().toString().replace("-", "");
            String base = e.artifactLocation() == null ? "mlflow-artifacts:/" + e.experimentId() : e.artifactLocation();
            String artifactUri = base + (base.endsWith("/") ? "" : "/") + uuid + "/artifacts";
            long pk = RunDao.insert(h, uuid, Long.parseLong(e.experimentId()), name, run.userId(), run.startTime(), artifactUri);
            List<RunTag> tags = new ArrayList<>(run.tags());
            tags.removeIf(t -> t.key().equals(RunDao.RUN_NAME_TAG));
            tags.add(new RunTag(RunDao.RUN_NAME_TAG, name));
            RunDao.upsertTags(h, pk, tags);
            return RunDao.require(h, uuid).info();
        });
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return db.read(h -> RunDao.find(h, runId).map(row -> RunAssembler.assemble(h, List.of(row)).get(0)));
    }

    @Override
    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName) {
        return db.write(h -> {
            RunRow row = RunDao.requireActiveLocked(h, runId);
            RunDao.update(h, row.runPk(), status, endTime, runName == null || runName.isEmpty() ? null : runName);
            return RunDao.require(h, runId).info();
        });
    }

    @Override
    public void deleteRun(String runId) {
        db.write(h -> {
            RunDao.setLifecycle(h, RunDao.requireLocked(h, runId).runPk(), LifecycleStage.DELETED, now());
            return null;
        });
    }

    @Override
    public void restoreRun(String runId) {
        db.write(h -> {
            RunDao.setLifecycle(h, RunDao.requireLocked(h, runId).runPk(), LifecycleStage.ACTIVE, now());
            return null;
        });
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        db.write(h -> {
            RunRow row = RunDao.requireActiveLocked(h, runId);
            // metrics first: params and tags number the run (see Dialect.lockChangeNumbers), and
            // on PostgreSQL that lock is best taken after the metric rows', as metrics-only batches do
            MetricDao.insert(h, row.runPk(), metrics);
            MetricDetailsDao.insert(h, row, metrics);
            RunDao.insertParams(h, row, params);
            RunDao.upsertTags(h, row.runPk(), tags);
            return null;
        });
    }

    /**
     * Reads, changes and writes one tag in one write transaction on the locked run (see
     * {@link RunDao#requireActiveLocked}): two appends to one tag through two replicas at once
     * both land, where a read then a separate write could lose one.
     */
    @Override
    public void updateTag(String runId, String key, UnaryOperator<String> update) {
        db.write(h -> {
            RunRow row = RunDao.requireActiveLocked(h, runId);
            String old = h.createQuery("SELECT value FROM tags WHERE run_pk = ? AND key = ?")
                    .bind(0, row.runPk()).bind(1, key).mapTo(String.class).findOne().orElse(null);
            RunTag tag = new RunTag(key, update.apply(old));
            dev.labbook.core.validation.Validation.validateRunTag(tag);
            RunDao.upsertTags(h, row.runPk(), List.of(tag));
            return null;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        db.write(h -> {
            RunDao.deleteTag(h, RunDao.requireActiveLocked(h, runId), key);
            return null;
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        logInputs(runId, inputs, List.of());
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs, List<ModelInput> models) {
        db.write(h -> {
            RunRow row = RunDao.requireActiveLocked(h, runId);
            InputDao.insert(h, row, inputs);
            RunModelsDao.insertInputs(h, row.runPk(), models);
            return null;
        });
    }

    @Override
    public Page<Run> searchRuns(RunQuery query) {
        return db.read(h -> runSearch.search(h, query));
    }

    @Override
    public Page<Metric> getMetricHistory(String runId, String key, int maxResults, String pageToken) {
        return db.read(h -> {
            RunRow row = RunDao.require(h, runId);
            Long seriesId = MetricDao.seriesId(h, row.runPk(), key);
            if (seriesId == null) {
                return new Page<Metric>(List.of(), null);
            }
            return MetricDetailsDao.decorate(h, seriesId, HistoryDao.page(h, seriesId, key, maxResults, pageToken));
        });
    }

    @Override
    public List<MetricWithRunId> getMetricHistoryBulkInterval(
            List<String> runIds, String key, Long startStep, Long endStep, int maxResults) {
        long start = startStep == null ? Long.MIN_VALUE : startStep;
        long end = endStep == null ? Long.MAX_VALUE : endStep;
        buildStaleBlocks(runIds, key);
        // one snapshot: the blocks and the points of a series must agree, whatever is logged meanwhile
        return db.snapshot(h -> {
            List<MetricWithRunId> out = new ArrayList<>();
            for (String runId : runIds) {
                RunRow row = RunDao.require(h, runId);
                Long seriesId = MetricDao.seriesId(h, row.runPk(), key);
                if (seriesId == null) {
                    continue;
                }
                for (PointKey p : BulkIntervalDao.sample(h, seriesId, start, end, maxResults)) {
                    out.add(new MetricWithRunId(key, p.chartValue(), p.timestamp(), p.step(), runId));
                }
            }
            return out;
        });
    }

    /**
     * Builds the blocks of the requested series that were logged before blocks existed. Once no
     * such series is left none can appear again, so the check is skipped from then on.
     */
    private void buildStaleBlocks(List<String> runIds, String key) {
        if (!staleSeriesLeft) {
            return;
        }
        List<Long> stale = db.read(h -> {
            if (!BulkIntervalDao.anyStale(h)) {
                staleSeriesLeft = false;
                return List.<Long>of();
            }
            List<Long> ids = new ArrayList<>();
            for (String runId : runIds) {
                Optional<RunRow> row = RunDao.find(h, runId);
                Long seriesId = row.isEmpty() ? null : MetricDao.seriesId(h, row.get().runPk(), key);
                if (seriesId != null && BulkIntervalDao.stale(h, seriesId)) {
                    ids.add(seriesId);
                }
            }
            return ids;
        });
        for (long seriesId : stale) {
            db.write(h -> {
                BulkIntervalDao.buildStale(h, seriesId);
                return null;
            });
        }
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }
}
