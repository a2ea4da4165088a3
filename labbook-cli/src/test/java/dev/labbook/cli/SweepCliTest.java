package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.Sweep;
import dev.labbook.client.sweep.SweepAgent;
import dev.labbook.client.sweep.Sweeps;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.sweep.SweepState;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep commands end to end: trials are shell scripts that log through curl to the run named
 * by MLFLOW_RUN_ID (no Python, no SDK), against a real server on port 0 or a local data folder.
 */
class SweepCliTest {
    @TempDir
    Path dir;
    private LabbookServer server;
    private String uri;

    @BeforeEach
    void start() {
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir.resolve("server-data")));
        uri = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Logs loss = (x - 0.3)^2 + 1/step at steps 1..3 and writes its ${args_json} argument beside itself. */
    private static final String QUADRATIC = """
            #!/usr/bin/env bash
            set -eu
            x=""; json=""
            for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; --*) ;; *) json="$a";; esac; done
            printf '%s' "$json" > "$(dirname "$0")/$MLFLOW_RUN_ID.json"
            for step in 1 2 3; do
              y=$(awk -v x="$x" -v s="$step" 'BEGIN { printf "%.6f", (x - 0.3) ^ 2 + 1.0 / s }')
              curl -sf -X POST "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-metric" -H 'Content-Type: application/json' \\
                -d "{\\"run_id\\":\\"$MLFLOW_RUN_ID\\",\\"key\\":\\"loss\\",\\"value\\":$y,\\"timestamp\\":$(date +%s%3N),\\"step\\":$step}" >/dev/null
            done
            """;

    @Test
    void createThenAgentsRunAShellScriptTrialThatLogsWithCurl() throws Exception {
        Path script = write("quadratic.sh", QUADRATIC);
        Path file = write("sweep.yaml", """
                name: quadratic
                method: grid
                metric: {name: loss, goal: minimize}
                program: %s
                command: ["${env}", "${interpreter}", "${program}", "${args}", "${args_json}"]
                parameters:
                  x: {values: [0.1, 0.3, 0.5]}
                """.formatted(script));
        CliRun created = CliRun.of("sweep", "create", file.toString(), "--tracking-uri", uri);
        assertEquals(0, created.code(), created.err());
        String id = created.out().strip();
        assertTrue(id.matches("[a-z0-9]{8}"), "prints the id: " + created.out());

        CliRun first = CliRun.of("sweep", "agent", id, "--count", "2", "--tracking-uri", uri);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Agent done: 2 trial(s)"), first.out());
        CliRun second = CliRun.of("sweep", "agent", id, "--tracking-uri", uri);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("Agent done: 1 trial(s)"), second.out());

        try (Sweeps sweeps = Sweeps.open(uri)) {
            assertEquals(SweepState.FINISHED, sweeps.getSweep(id).state());
            List<Trial> trials = sweeps.listTrials(id);
            assertEquals(3, trials.size());
            for (Trial t : trials) {
                double x = (Double) t.params().get("x");
                assertEquals(TrialState.COMPLETE, t.state());
                assertEquals((x - 0.3) * (x - 0.3) + 1.0 / 3, t.value(), 1e-5, "the run's latest loss");
                assertEquals("{\"x\":" + x + "}", Files.readString(dir.resolve(t.runId() + ".json")), "${args_json}");
                Run run = server.trackingStore().getRun(t.runId()).orElseThrow();
                assertEquals(RunStatus.FINISHED, run.info().status());
                assertEquals(3, server.trackingStore().getMetricHistory(t.runId(), "loss", 10, null).items().size());
            }
            assertEquals(0.3, sweeps.getSweep(id).bestValue() - 1.0 / 3 + 0.3, 1e-5);
        }
        CliRun shown = CliRun.of("sweep", "show", id, "--tracking-uri", uri);
        assertTrue(shown.out().contains("  1. trial 1"), "x=0.3 leads: " + shown.out());
        CliRun stopped = CliRun.of("sweep", "stop", id, "--tracking-uri", uri);
        assertTrue(stopped.out().contains("Sweep " + id + " FINISHED"), "a finished sweep stays finished: " + stopped.out());
    }

    @Test
    void runOnALocalFolderPrunesAHopelessTrialWithSigterm() throws Exception {
        Path script = write("acc.sh", """
                #!/usr/bin/env bash
                set -eu
                x="${1#--x=}"
                log() {
                  curl -sf -X POST "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-metric" -H 'Content-Type: application/json' \\
                    -d "{\\"run_id\\":\\"$MLFLOW_RUN_ID\\",\\"key\\":\\"acc\\",\\"value\\":$2,\\"timestamp\\":$(date +%s%3N),\\"step\\":$1}" >/dev/null
                }
                log 1 "$x"
                if awk -v x="$x" 'BEGIN { exit !(x < 0.5) }'; then sleep 120; fi
                log 2 "$x"
                """);
        Path file = write("prune.yaml", """
                name: pruning
                experiment: sweeps-cli
                method: grid
                metric: {name: acc, goal: maximize}
                program: %s
                early_terminate: {type: asha, grace_period: 1, reduction_factor: 2, max_t: 10}
                parameters:
                  x: {values: [0.9, 0.2, 0.95]}
                """.formatted(script));
        Path data = dir.resolve("local-data");
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("sweep", "run", file.toString(), "--agents", "1", "--grace", "2", "--tracking-uri", data.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(seconds < 60, "the pruned trial was stopped, not waited for: " + seconds + " s");
        assertTrue(run.out().contains("trial 1 PRUNED acc=0.200000 x=0.2"), run.out());
        assertTrue(run.out().contains("  1. trial 2    0.950000"), run.out());
        assertTrue(run.out().contains("FINISHED"), run.out());
        assertTrue(run.out().contains("Best: trial 2, run "), run.out());
        assertTrue(run.out().contains("metrics: acc=0.950000"), run.out());

        try (Sweeps sweeps = Sweeps.open(data.toString())) {
            var sweep = sweeps.listSweeps(null).get(0);
            assertEquals("sweeps-cli", sweeps.localTracking().getExperiment(sweep.experimentId()).orElseThrow().name());
            List<Trial> trials = sweeps.listTrials(sweep.sweepId());
            assertEquals(List.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.COMPLETE),
                    trials.stream().map(Trial::state).toList());
            Run pruned = sweeps.localTracking().getRun(trials.get(1).runId()).orElseThrow();
            assertEquals(RunStatus.KILLED, pruned.info().status());
            assertTrue(pruned.data().tags().contains(new RunTag("labbook.sweep.pruned", "true")));
            assertEquals(1L, trials.get(1).prunedAtStep());
        }
    }

    @Test
    void inProcessAgentsReportAndGetPruned() {
        String id;
        try (Sweeps sweeps = Sweeps.open(uri)) {
            id = sweeps.createSweep("""
                    method: random
                    seed: 5
                    run_cap: 12
                    metric: {name: score, goal: maximize}
                    early_terminate: {type: median, n_startup_trials: 3}
                    parameters:
                      x: {min: 0.0, max: 1.0}
                      kind: {values: [a, b]}
                    """, null).sweepId();
        }
        List<Trial> done = Sweep.agent(id, uri, SweepAgent.Options.defaults(), trial -> {
            double x = trial.doubleParam("x");
            for (int step = 1; step <= 5; step++) {
                if (trial.report(step, x * step)) {
                    return null;
                }
            }
            return x * 5;
        });
        assertEquals(12, done.size());
        long pruned = done.stream().filter(t -> t.state() == TrialState.PRUNED).count();
        long complete = done.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
        assertEquals(12, pruned + complete);
        assertTrue(pruned > 0, "trials below the median are stopped");
        for (Trial t : done) {
            if (t.state() == TrialState.PRUNED) {
                double x = (Double) t.params().get("x");
                assertEquals(x * t.prunedAtStep(), t.value(), 1e-9, "a pruned trial keeps its last report");
            }
        }
        Trial best = done.stream().filter(t -> t.state() == TrialState.COMPLETE).max(Comparator.comparingDouble(Trial::value)).orElseThrow();
        assertEquals(5 * (Double) best.params().get("x"), best.value(), 1e-9);
        assertEquals(5, server.trackingStore().getMetricHistory(best.runId(), "score", 10, null).items().size(),
                "reports are logged to the trial's run");
    }

    private Path write(String name, String text) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
