package dev.labbook.store.jdbc;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.store.SweepStore;
import dev.labbook.store.TrackingStore;
import dev.labbook.sweep.Claim;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.SweepState;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.Verdict;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.sampler.Observation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Sweeps in the tracking database. Every change is one write transaction of the {@link Database}
 * (on SQLite its single writer; elsewhere claims of a sweep also take turns on the sweep's row,
 * see {@link SweepDao#lockForClaim}), and the sampler runs inside the claim's transaction: the
 * trials it sees are exactly those committed before, and the trial it adds is committed before
 * the next claim starts.
 */
public final class JdbcSweepStore implements SweepStore {
    /** Tags of sweep runs. */
    public static final String SWEEP_ID_TAG = "labbook.sweep.id";
    public static final String TRIAL_TAG = "labbook.sweep.trial";
    public static final String PRUNED_TAG = "labbook.sweep.pruned";
    static final String PARENT_TAG = "mlflow.parentRunId";
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int HISTORY_PAGE = 25_000;

    private final Database db;
    private final TrackingStore tracking;
    private final LongSupplier clock;
    private final SecureRandom ids = new SecureRandom();
    /**
     * Each sweep's sampler and pruner, built from its configuration. Safe with several replicas:
     * a sweep's configuration never changes once stored and the plan holds no state (trials,
     * leases and counts are read from the database under the sweep row's lock at each claim).
     */
    private final Map<String, SweepPlan> plans = new ConcurrentHashMap<>();

    /** A store over {@code db}, whose runs {@code tracking} (over the same database) reads. */
    public JdbcSweepStore(Database db, TrackingStore tracking) {
        this(db, tracking, System::currentTimeMillis);
    }

    /** As above, with the clock leases are measured by (tests drive it). */
    public JdbcSweepStore(Database db, TrackingStore tracking, LongSupplier clock) {
        this.db = db;
        this.tracking = tracking;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ sweeps

    @Override
    public Sweep createSweep(String configText, String experimentId) {
        SweepConfig config = SweepConfigParser.parse(configText);
        String experiment = experimentId != null ? experimentId : experimentFor(config.experiment());
        String id = newSweepId();
        String name = config.name() != null ? config.name() : "sweep-" + id;
        long now = clock.getAsLong();
        return write(h -> {
            String parent = SweepRuns.create(h, experiment, "labbook-sweep", name, List.of(
                    new RunTag(SWEEP_ID_TAG, id), new RunTag("labbook.sweep.method", config.method().name().toLowerCase())), now);
            Sweep s = new Sweep(id, experiment, parent, name, SweepState.RUNNING, config.json(), now, now, null, null);
            SweepDao.insert(h, s);
            return s;
        });
    }

    /** The id of the experiment called {@code name}, created if missing; the Default experiment for null. */
    private String experimentFor(String name) {
        if (name == null) {
            return "0";
        }
        Optional<String> found = tracking.getExperimentByName(name).map(e -> e.experimentId());
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return tracking.createExperiment(name, null, List.of());
        } catch (LabbookException e) {
            if (e.code() == ErrorCode.RESOURCE_ALREADY_EXISTS) {
                return tracking.getExperimentByName(name).orElseThrow(() -> e).experimentId();
            }
            throw e;
        }
    }

    private String newSweepId() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            sb.append(ID_CHARS.charAt(ids.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    @Override
    public Sweep getSweep(String sweepId) {
        return db.read(h -> SweepDao.require(h, sweepId));
    }

    @Override
    public List<Sweep> listSweeps(String experimentId) {
        return db.read(h -> SweepDao.list(h, experimentId));
    }

    @Override
    public List<Trial> listTrials(String sweepId) {
        return db.read(h -> {
            SweepDao.require(h, sweepId);
            return TrialDao.list(h, sweepId);
        });
    }

    @Override
    public Sweep stopSweep(String sweepId) {
        long now = clock.getAsLong();
        return write(h -> {
            Sweep s = SweepDao.require(h, sweepId);
            if (s.state() == SweepState.RUNNING) {
                SweepDao.setState(h, sweepId, SweepState.STOPPED, now);
                for (Trial t : TrialDao.inState(h, sweepId, TrialState.QUEUED)) {
                    TrialDao.update(h, withState(t, TrialState.FAILED, null, now));
                }
                SweepRuns.end(h, s.parentRunId(), RunStatus.KILLED, now, false);
            }
            return SweepDao.require(h, sweepId);
        });
    }

    /**
     * A write transaction of the sweep store. Sweep writes create, tag and end runs, which numbers
     * them (see {@link Dialect#lockChangeNumbers}): taking that lock first, before any sweep or
     * trial row, keeps every sweep writer in one lock order, so they queue instead of deadlocking.
     */
    private <T> T write(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
        return db.write(h -> {
            Dialect.lockChangeNumbers(h);
            return callback.withHandle(h);
        });
    }

    private SweepPlan plan(Sweep s) {
        return plans.computeIfAbsent(s.sweepId(), k -> SweepPlan.of(s.config()));
    }

    // ------------------------------------------------------------------ claims and leases

    @Override
    public Claim claim(String sweepId, String agentId) {
        String agent = agentId == null || agentId.isBlank() ? "agent" : agentId;
        long now = clock.getAsLong();
        return write(h -> {
            if (!SweepDao.lockForClaim(h, sweepId, now)) {
                throw LabbookException.notFound("No sweep with id=%s exists", sweepId);
            }
            Sweep s = SweepDao.require(h, sweepId);
            SweepPlan plan = plan(s);
            expireLeases(h, s, plan, now);
            if (s.state() != SweepState.RUNNING) {
                return new Claim(null, true);
            }
            Optional<Trial> queued = TrialDao.firstQueued(h, sweepId);
            if (queued.isPresent()) {
                return new Claim(start(h, s, queued.get(), agent, plan, now), false);
            }
            int first = TrialDao.firstAttempts(h, sweepId);
            Optional<Map<String, Object>> params = plan.exhausted(first) ? Optional.empty()
                    : plan.sampler().suggest(first, observations(TrialDao.list(h, sweepId)));
            if (params.isEmpty()) {
                return new Claim(null, finishIfDone(h, s, now));
            }
            Trial t = new Trial(UUID.randomUUID().toString().replace("-", ""), sweepId, TrialDao.nextNumber(h, sweepId),
                    TrialState.QUEUED, params.get(), null, null, null, 0, null, null, null, null, null);
            TrialDao.insert(h, t);
            return new Claim(start(h, s, t, agent, plan, now), false);
        });
    }

    /** Gives a queued trial to the agent, with a new child run of the sweep's run. */
    private Trial start(Handle h, Sweep s, Trial t, String agent, SweepPlan plan, long now) {
        String runId = SweepRuns.create(h, s.experimentId(), agent, s.name() + "-" + t.number(), List.of(
                new RunTag(PARENT_TAG, s.parentRunId()),
                new RunTag(SWEEP_ID_TAG, s.sweepId()),
                new RunTag(TRIAL_TAG, Integer.toString(t.number())),
                new RunTag("labbook.sweep.trial_id", t.trialId()),
                new RunTag("labbook.sweep.params", TrialDao.json(t.params()))), now);
        Trial running = new Trial(t.trialId(), t.sweepId(), t.number(), TrialState.RUNNING, t.params(), runId, agent,
                now + plan.leaseMillis(), t.attempt(), t.retryOf(), null, now, null, null);
        TrialDao.update(h, running);
        return running;
    }

    /**
     * Fails the running trials whose agent has not been heard of for the lease period, ends their
     * runs as FAILED, and queues each again (same parameters, a new number) while it has retries left.
     */
    private void expireLeases(Handle h, Sweep s, SweepPlan plan, long now) {
        List<Trial> expired = TrialDao.expiredLeases(h, s.sweepId(), now);
        if (!expired.isEmpty()) {
            // retries get new numbers: numbering takes turns on the sweep's row, as claims do
            // (a heartbeat's transaction does not hold it yet)
            SweepDao.lock(h, s.sweepId());
        }
        for (Trial t : expired) {
            TrialDao.update(h, withState(t, TrialState.FAILED, null, now));
            if (t.runId() != null) {
                SweepRuns.tag(h, t.runId(), "labbook.sweep.lease_expired", "true");
                SweepRuns.end(h, t.runId(), RunStatus.FAILED, now, true);
            }
            if (t.attempt() < plan.config().maxRetries() && s.state() == SweepState.RUNNING) {
                TrialDao.insert(h, new Trial(UUID.randomUUID().toString().replace("-", ""), s.sweepId(),
                        TrialDao.nextNumber(h, s.sweepId()), TrialState.QUEUED, t.params(), null, null, null,
                        t.attempt() + 1, t.trialId(), null, null, null, null));
            }
        }
    }

    /** Marks the sweep FINISHED when nothing can start and nothing runs; true when it is over. */
    private boolean finishIfDone(Handle h, Sweep s, long now) {
        if (TrialDao.unfinished(h, s.sweepId()) > 0) {
            return false;
        }
        if (s.state() == SweepState.RUNNING) {
            SweepDao.setState(h, s.sweepId(), SweepState.FINISHED, now);
            SweepRuns.end(h, s.parentRunId(), RunStatus.FINISHED, now, false);
        }
        return true;
    }

    private static List<Observation> observations(List<Trial> trials) {
        List<Observation> out = new ArrayList<>(trials.size());
        for (Trial t : trials) {
            out.add(new Observation(t.number(), t.state(), t.params(), t.value()));
        }
        return out;
    }

    // ------------------------------------------------------------------ heartbeats and values

    @Override
    public Verdict heartbeat(String trialId, String agentId) {
        Trial t = db.read(h -> TrialDao.require(h, trialId));
        if (lost(t, agentId)) {
            return new Verdict(false, true);
        }
        Sweep s = getSweep(t.sweepId());
        SweepPlan plan = plan(s);
        TreeMap<Long, Double> fromRun = runValues(t, plan);
        long now = clock.getAsLong();
        return write(h -> {
            Trial current = TrialDao.require(h, trialId);
            if (lost(current, agentId)) {
                return new Verdict(false, true);
            }
            TrialDao.update(h, withLease(current, now + plan.leaseMillis()));
            expireLeases(h, SweepDao.require(h, s.sweepId()), plan, now);
            return new Verdict(copyValues(h, trialId, fromRun) && prune(h, current, plan), false);
        });
    }

    @Override
    public Verdict report(String trialId, String agentId, long step, double value) {
        long now = clock.getAsLong();
        return write(h -> {
            Trial t = TrialDao.require(h, trialId);
            if (lost(t, agentId)) {
                return new Verdict(false, true);
            }
            SweepPlan plan = plan(SweepDao.require(h, t.sweepId()));
            TrialDao.update(h, withLease(t, now + plan.leaseMillis()));
            if (Double.isNaN(value)) {
                return new Verdict(true, false); // a diverged trial is worse than any other
            }
            TrialDao.putValue(h, trialId, step, value);
            if (t.runId() != null) {
                SweepRuns.logMetric(h, t.runId(), plan.metricName() == null ? "value" : plan.metricName(), value, step, now);
            }
            return new Verdict(prune(h, t, plan), false);
        });
    }

    /**
     * Stores the run's values the trial does not have yet (or has with another value); true when
     * one of them is past the trial's last step, so the pruner has a new report to judge.
     */
    private static boolean copyValues(Handle h, String trialId, TreeMap<Long, Double> fromRun) {
        TreeMap<Long, Double> known = TrialDao.values(h, trialId);
        long last = known.isEmpty() ? Long.MIN_VALUE : known.lastKey();
        boolean advanced = false;
        for (Map.Entry<Long, Double> e : fromRun.entrySet()) {
            if (!e.getValue().equals(known.get(e.getKey()))) {
                TrialDao.putValue(h, trialId, e.getKey(), e.getValue());
                advanced |= e.getKey() > last;
            }
        }
        return advanced;
    }

    private static boolean lost(Trial t, String agentId) {
        return t.state() != TrialState.RUNNING || (agentId != null && !agentId.equals(t.agentId()));
    }

    private static boolean prune(Handle h, Trial t, SweepPlan plan) {
        var all = TrialDao.histories(h, t.sweepId());
        for (var th : all) {
            if (th.number() == t.number()) {
                return plan.pruner().shouldPrune(th, all);
            }
        }
        return false;
    }

    /** The trial run's values of the sweep metric, the latest per step (NaN left out). */
    private TreeMap<Long, Double> runValues(Trial t, SweepPlan plan) {
        TreeMap<Long, Double> out = new TreeMap<>();
        if (t.runId() == null || plan.metricName() == null) {
            return out;
        }
        TreeMap<Long, Long> times = new TreeMap<>();
        String token = null;
        do {
            Page<Metric> page;
            try {
                page = tracking.getMetricHistory(t.runId(), plan.metricName(), HISTORY_PAGE, token);
            } catch (LabbookException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    return out;
                }
                throw e;
            }
            for (Metric m : page.items()) {
                if (!Double.isNaN(m.value()) && m.timestamp() >= times.getOrDefault(m.step(), Long.MIN_VALUE)) {
                    out.put(m.step(), m.value());
                    times.put(m.step(), m.timestamp());
                }
            }
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    // ------------------------------------------------------------------ the end of trials

    @Override
    public Trial finishTrial(String trialId, String agentId, TrialState state, Double value) {
        if (state == null || !state.finished()) {
            throw LabbookException.invalid("A trial ends COMPLETE, PRUNED or FAILED, not %s", state);
        }
        Trial t = db.read(h -> TrialDao.require(h, trialId));
        if (t.state().finished()) {
            return t; // ended already (a retry of the call, or its lease expired meanwhile)
        }
        if (t.state() != TrialState.RUNNING) {
            throw new LabbookException(ErrorCode.INVALID_STATE, "Trial " + trialId + " is " + t.state() + ", not RUNNING");
        }
        Sweep s = getSweep(t.sweepId());
        SweepPlan plan = plan(s);
        TreeMap<Long, Double> fromRun = runValues(t, plan);
        Double runValue = value != null || state == TrialState.FAILED ? value : latestRunValue(t, plan);
        long now = clock.getAsLong();
        return write(h -> {
            Trial current = TrialDao.require(h, trialId);
            if (current.state().finished()) {
                return current;
            }
            copyValues(h, trialId, fromRun);
            double[] last = TrialDao.lastValue(h, trialId);
            Double v = runValue != null ? runValue : state == TrialState.PRUNED && last != null ? last[1] : null;
            Long prunedAt = state == TrialState.PRUNED && last != null ? (long) last[0] : null;
            Trial done = new Trial(current.trialId(), current.sweepId(), current.number(), state, current.params(),
                    current.runId(), current.agentId(), null, current.attempt(), current.retryOf(), v,
                    current.startTime(), now, prunedAt);
            TrialDao.update(h, done);
            endRun(h, done, now);
            Sweep sweep = SweepDao.require(h, s.sweepId());
            if (state == TrialState.COMPLETE && v != null && !v.isNaN() && plan.config().metric() != null) {
                recordBest(h, sweep, done, plan, now);
                if (plan.config().metric().reached(v) && sweep.state() == SweepState.RUNNING) {
                    // the target is met: no more trials (the running ones may finish)
                    SweepDao.setState(h, sweep.sweepId(), SweepState.FINISHED, now);
                    SweepRuns.end(h, sweep.parentRunId(), RunStatus.FINISHED, now, false);
                }
            }
            sweep = SweepDao.require(h, s.sweepId());
            if (sweep.state() == SweepState.RUNNING && plan.exhausted(TrialDao.firstAttempts(h, sweep.sweepId()))) {
                finishIfDone(h, sweep, now);
            }
            return done;
        });
    }

    private static void endRun(Handle h, Trial t, long now) {
        if (t.runId() == null) {
            return;
        }
        switch (t.state()) {
            case COMPLETE -> SweepRuns.end(h, t.runId(), RunStatus.FINISHED, now, false);
            case PRUNED -> {
                SweepRuns.tag(h, t.runId(), PRUNED_TAG, "true");
                SweepRuns.end(h, t.runId(), RunStatus.KILLED, now, true);
            }
            default -> SweepRuns.end(h, t.runId(), RunStatus.FAILED, now, true);
        }
    }

    /** Keeps the sweep's best trial, and logs the best value so far to the sweep's run (step: trial number). */
    private static void recordBest(Handle h, Sweep s, Trial t, SweepPlan plan, long now) {
        var goal = plan.config().metric().goal();
        double v = t.value();
        boolean better = s.bestValue() == null || goal.better(v, s.bestValue());
        if (better) {
            SweepDao.setBest(h, s.sweepId(), t.trialId(), v, now);
            SweepRuns.tag(h, s.parentRunId(), "labbook.sweep.best_run_id", t.runId());
        }
        SweepRuns.logMetric(h, s.parentRunId(), "best_" + plan.metricName(), better ? v : s.bestValue(), t.number(), now);
    }

    /** The run's latest value of the sweep metric, or null. */
    private Double latestRunValue(Trial t, SweepPlan plan) {
        if (t.runId() == null || plan.metricName() == null) {
            return null;
        }
        Optional<Run> run = tracking.getRun(t.runId());
        if (run.isEmpty() || run.get().data() == null || run.get().data().metrics() == null) {
            return null;
        }
        for (Metric m : run.get().data().metrics()) {
            if (m.key().equals(plan.metricName())) {
                return m.value();
            }
        }
        return null;
    }

    private static Trial withState(Trial t, TrialState state, Double value, long now) {
        return new Trial(t.trialId(), t.sweepId(), t.number(), state, t.params(), t.runId(), t.agentId(), null,
                t.attempt(), t.retryOf(), value, t.startTime(), now, null);
    }

    private static Trial withLease(Trial t, long expiry) {
        return new Trial(t.trialId(), t.sweepId(), t.number(), t.state(), t.params(), t.runId(), t.agentId(), expiry,
                t.attempt(), t.retryOf(), t.value(), t.startTime(), t.endTime(), t.prunedAtStep());
    }

    /** Nothing to release: the database belongs to whoever opened it. */
    @Override
    public void close() {}
}
