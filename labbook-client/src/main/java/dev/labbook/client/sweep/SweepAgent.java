package dev.labbook.client.sweep;

import dev.labbook.sweep.Claim;
import dev.labbook.sweep.SweepService;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.SweepConfigParser;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent: claims a sweep's trials one after another and runs each, heart-beating while it runs
 * (which also asks the server whether to prune), and reports how each ended. The trial itself is
 * run by a {@link TrialRunner}: in-process code, or a process (the CLI's agent).
 */
public final class SweepAgent {
    private static final Logger LOG = LoggerFactory.getLogger(SweepAgent.class);

    /** Runs one trial; {@code control} says when to stop. A thrown exception fails the trial. */
    @FunctionalInterface
    public interface TrialRunner {
        Result run(TrialControl control) throws Exception;
    }

    /** How a trial ended by itself (a pruned trial is PRUNED whatever this says); a null value lets the server read the run's metric. */
    public record Result(TrialState state, Double value) {
        public static Result complete(Double value) {
            return new Result(TrialState.COMPLETE, value);
        }

        public static Result failed() {
            return new Result(TrialState.FAILED, null);
        }
    }

    /**
     * @param count trials to run at most, 0 for as many as the sweep has
     * @param poll how long to wait before asking again when every remaining trial is running elsewhere
     * @param onFinished told of every trial this agent ended, as the server recorded it
     */
    public record Options(String agentId, int count, Duration poll, Consumer<Trial> onFinished) {
        public static Options defaults() {
            return new Options(defaultAgentId(), 0, Duration.ofSeconds(1), t -> {});
        }

        public Options withCount(int n) {
            return new Options(agentId, n, poll, onFinished);
        }

        public Options withAgentId(String id) {
            return new Options(id, count, poll, onFinished);
        }

        public Options withOnFinished(Consumer<Trial> c) {
            return new Options(agentId, count, poll, c);
        }
    }

    private SweepAgent() {}

    /** host:pid:random, unique per agent. */
    public static String defaultAgentId() {
        return ManagementFactory.getRuntimeMXBean().getName() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs trials of {@code sweepId} until the sweep is over or {@code count} were run; returns them as ended. */
    public static List<Trial> run(SweepService service, String sweepId, Options options, TrialRunner runner) {
        long lease = SweepConfigParser.parse(service.getSweep(sweepId).config()).leaseSeconds() * 1000;
        long beat = Math.max(100, Math.min(1000, lease / 4));
        List<Trial> done = new ArrayList<>();
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "labbook-sweep-heartbeat");
            t.setDaemon(true);
            return t;
        });
        try {
            while (options.count() <= 0 || done.size() < options.count()) {
                Claim claim = service.claim(sweepId, options.agentId());
                if (claim.trial() == null) {
                    if (claim.finished()) {
                        break;
                    }
                    sleep(options.poll()); // the remaining trials run elsewhere; one may be queued again
                    continue;
                }
                TrialControl control = new TrialControl(service, claim.trial(), options.agentId());
                var task = beats.scheduleWithFixedDelay(() -> {
                    try {
                        control.heartbeat();
                    } catch (RuntimeException e) {
                        LOG.warn("Heartbeat of trial {} failed (the lease covers short outages): {}", claim.trial().number(), e.getMessage());
                    }
                }, beat, beat, TimeUnit.MILLISECONDS);
                Result result;
                try {
                    result = runner.run(control);
                } catch (Exception e) {
                    LOG.warn("Trial {} failed: {}", claim.trial().number(), e.toString());
                    result = Result.failed();
                } finally {
                    task.cancel(false);
                }
                if (control.leaseLost()) {
                    LOG.warn("Trial {} was failed by the server meanwhile (its lease expired)", claim.trial().number());
                    continue;
                }
                TrialState state = control.pruned() ? TrialState.PRUNED : result.state();
                Trial ended = service.finishTrial(claim.trial().trialId(), options.agentId(), state,
                        state == TrialState.PRUNED ? null : result.value());
                done.add(ended);
                options.onFinished().accept(ended);
            }
        } finally {
            beats.shutdownNow();
        }
        return done;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
