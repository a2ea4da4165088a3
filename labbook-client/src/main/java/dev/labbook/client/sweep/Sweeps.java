package dev.labbook.client.sweep;

import dev.labbook.client.Labbook;
import dev.labbook.client.internal.Target;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcSweepStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.sweep.Claim;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepService;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.Verdict;
import java.util.List;

/**
 * Where sweeps live, opened from a tracking URI: a server ({@code http(s)://}) or a local store
 * (a data folder or {@code sqlite:///}), for agents on one machine without a server. Close it to
 * release a local store.
 */
public final class Sweeps implements SweepService, AutoCloseable {
    private final SweepService service;
    private final String uri;
    private final AutoCloseable[] resources;
    private final JdbcTrackingStore localTracking;

    private Sweeps(SweepService service, String uri, JdbcTrackingStore localTracking, AutoCloseable... resources) {
        this.service = service;
        this.uri = uri;
        this.localTracking = localTracking;
        this.resources = resources;
    }

    /** Opens the sweeps of {@code trackingUri}; null means the SDK's default (LABBOOK_TRACKING_URI, MLFLOW_TRACKING_URI, ./labbook-data). */
    public static Sweeps open(String trackingUri) {
        String uri = Labbook.trackingUri(trackingUri);
        Target target = Target.of(uri);
        if (target.remote()) {
            return new Sweeps(new HttpSweepService(uri), uri, null);
        }
        Database db = Database.open(target.storeUri());
        JdbcTrackingStore tracking = new JdbcTrackingStore(db);
        return new Sweeps(new JdbcSweepStore(db, tracking), uri, tracking, tracking, db);
    }

    /** The tracking URI these sweeps were opened from. */
    public String uri() {
        return uri;
    }

    /** True for a server. */
    public boolean remote() {
        return localTracking == null;
    }

    /** The local store's tracking store (null for a server), for tools that read the runs directly. */
    public JdbcTrackingStore localTracking() {
        return localTracking;
    }

    @Override
    public Sweep createSweep(String configText, String experimentId) {
        return service.createSweep(configText, experimentId);
    }

    @Override
    public Sweep getSweep(String sweepId) {
        return service.getSweep(sweepId);
    }

    @Override
    public List<Sweep> listSweeps(String experimentId) {
        return service.listSweeps(experimentId);
    }

    @Override
    public List<Trial> listTrials(String sweepId) {
        return service.listTrials(sweepId);
    }

    @Override
    public List<dev.labbook.sweep.prune.TrialHistory> intermediateValues(String sweepId) {
        return service.intermediateValues(sweepId);
    }

    @Override
    public Claim claim(String sweepId, String agentId) {
        return service.claim(sweepId, agentId);
    }

    @Override
    public Verdict heartbeat(String trialId, String agentId) {
        return service.heartbeat(trialId, agentId);
    }

    @Override
    public Verdict report(String trialId, String agentId, long step, double value) {
        return service.report(trialId, agentId, step, value);
    }

    @Override
    public Trial finishTrial(String trialId, String agentId, TrialState state, Double value) {
        return service.finishTrial(trialId, agentId, state, value);
    }

    @Override
    public dev.labbook.sweep.Sweep stopSweep(String sweepId) {
        return service.stopSweep(sweepId);
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // closing a local store: nothing left to do
            }
        }
    }
}
