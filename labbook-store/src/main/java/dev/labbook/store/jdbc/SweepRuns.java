package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.LifecycleStage;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The runs of sweeps, written inside the sweep store's own transactions (a claim creates its
 * trial's run atomically with the trial), through the same DAOs the tracking store uses. Run
 * creation follows {@link JdbcTrackingStore#createRun}: the experiment's artifact location, the
 * run name kept in the {@code mlflow.runName} tag.
 */
final class SweepRuns {
    private SweepRuns() {}

    /** Creates a RUNNING run and returns its id. */
    static String create(Handle h, String experimentId, String userId, String name, List<RunTag> tags, long now) {
        Experiment e = ExperimentDao.require(h, experimentId);
        if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw LabbookException.invalid("The experiment %s must be in the 'active' state. Current state is deleted.", experimentId);
        }
        String uuid = UUID.randomUUID().toString().replace("-", "");
        String base = e.artifactLocation() == null ? "mlflow-artifacts:/" + e.experimentId() : e.artifactLocation();
        String artifactUri = base + (base.endsWith("/") ? "" : "/") + uuid + "/artifacts";
        long pk = RunDao.insert(h, uuid, Long.parseLong(e.experimentId()), name, userId, now, artifactUri);
        List<RunTag> all = new ArrayList<>(tags);
        all.add(new RunTag(RunDao.RUN_NAME_TAG, name));
        RunDao.upsertTags(h, pk, all);
        return uuid;
    }

    /** Ends the run with {@code status} unless it already ended (a trial program may end its run itself). */
    static void end(Handle h, String runId, RunStatus status, long now, boolean evenIfEnded) {
        RunRow row = RunDao.findLocked(h, runId).orElse(null);
        if (row == null) {
            return; // deleted by someone: nothing to end
        }
        if (evenIfEnded || row.info().status() == RunStatus.RUNNING || row.info().status() == RunStatus.SCHEDULED) {
            RunDao.update(h, row.runPk(), status, now, null);
        }
    }

    static void tag(Handle h, String runId, String key, String value) {
        RunDao.findLocked(h, runId).ifPresent(r -> RunDao.upsertTags(h, r.runPk(), List.of(new RunTag(key, value))));
    }

    static void logMetric(Handle h, String runId, String key, double value, long step, long now) {
        RunDao.findLocked(h, runId).ifPresent(r -> MetricDao.insert(h, r.runPk(), List.of(new Metric(key, value, now, step))));
    }
}
