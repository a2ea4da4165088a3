package dev.labbook.cli;

import dev.labbook.client.sweep.SweepAgent;
import dev.labbook.client.sweep.TrialControl;
import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialCommand;
import dev.labbook.sweep.config.SweepConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a trial as the sweep's command, in its own process: the command from the template and the
 * trial's parameters, with {@code MLFLOW_TRACKING_URI} (and {@code LABBOOK_TRACKING_URI}),
 * {@code MLFLOW_RUN_ID}, {@code MLFLOW_EXPERIMENT_ID}, {@code LABBOOK_SWEEP_ID},
 * {@code LABBOOK_SWEEP_TRIAL_ID} and {@code LABBOOK_SWEEP_PARAMS} (the parameters as JSON) set,
 * so a program using any MLflow client logs into the trial's run. A trial to stop (pruned, or
 * its lease lost) gets SIGTERM, then SIGKILL after the grace period; its child processes too.
 */
final class ProcessTrialRunner implements SweepAgent.TrialRunner {
    private final Sweep sweep;
    private final SweepConfig config;
    private final String trackingUri;
    private final Duration grace;
    private final Path workDir;

    ProcessTrialRunner(Sweep sweep, SweepConfig config, String trackingUri, Duration grace, Path workDir) {
        this.sweep = sweep;
        this.config = config;
        this.trackingUri = trackingUri;
        this.grace = grace;
        this.workDir = workDir;
    }

    @Override
    public SweepAgent.Result run(TrialControl control) throws IOException, InterruptedException {
        Trial trial = control.trial();
        List<String> command = TrialCommand.build(config, trial.params());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("MLFLOW_TRACKING_URI", trackingUri);
        env.put("LABBOOK_TRACKING_URI", trackingUri);
        env.put("MLFLOW_RUN_ID", trial.runId());
        env.put("MLFLOW_EXPERIMENT_ID", sweep.experimentId());
        env.put("LABBOOK_SWEEP_ID", sweep.sweepId());
        env.put("LABBOOK_SWEEP_TRIAL_ID", trial.trialId());
        env.put("LABBOOK_SWEEP_PARAMS", TrialCommand.json(trial.params()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the trial command " + command + ": " + e.getMessage(), e);
        }
        control.onStop(() -> stop(process));
        int code = process.waitFor();
        return code == 0 ? SweepAgent.Result.complete(null) : SweepAgent.Result.failed();
    }

    /** SIGTERM to the process and its children, SIGKILL to whatever is left after the grace period; off the caller's thread. */
    private void stop(Process process) {
        Thread t = new Thread(() -> {
            List<ProcessHandle> children = process.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }, "labbook-sweep-stop");
        t.setDaemon(true);
        t.start();
    }
}
