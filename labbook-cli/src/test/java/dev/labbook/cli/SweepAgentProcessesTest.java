package dev.labbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.sweep.Sweeps;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.sweep.SweepState;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents as separate processes on one server: three share a sweep, and a fourth is killed with
 * SIGKILL in the middle of a trial. No trial runs twice, none is lost: the killed agent's trial
 * fails when its lease runs out and is run again by a live agent.
 */
class SweepAgentProcessesTest {
    @TempDir
    Path dir;

    @Test
    void agentsInSeparateProcessesShareASweepAndSurviveOneKilledMidTrial() throws Exception {
        Path script = dir.resolve("trial.sh");
        // the agent started with VICTIM set hangs in its trial, the others finish theirs at once
        Files.writeString(script, """
                #!/usr/bin/env bash
                if [ -n "${VICTIM:-}" ]; then touch "$(dirname "$0")/victim-started"; sleep 120; fi
                exit 0
                """);
        LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir.resolve("data")));
        List<Process> agents = new ArrayList<>();
        try (Sweeps sweeps = Sweeps.open("http://127.0.0.1:" + server.port())) {
            String uri = "http://127.0.0.1:" + server.port();
            String id = sweeps.createSweep("""
                    method: grid
                    lease_seconds: 2
                    program: %s
                    parameters: {x: {min: 1, max: 24}}
                    """.formatted(script), null).sweepId();
            Path started = dir.resolve("victim-started");
            Process victim;
            try (WatchService watch = dir.getFileSystem().newWatchService()) {
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                victim = agent(id, uri, true);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(started) && victim.isAlive() && System.nanoTime() < deadline) {
                    WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            }
            assertTrue(Files.exists(started), "the victim agent started its trial");
            List<ProcessHandle> victimTree = new ArrayList<>(victim.descendants().toList());
            victim.destroyForcibly(); // SIGKILL: no goodbye, no finish, no more heartbeats
            victimTree.forEach(ProcessHandle::destroyForcibly);
            for (int i = 0; i < 3; i++) {
                agents.add(agent(id, uri, false));
            }
            for (Process p : agents) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "an agent did not finish");
                assertEquals(0, p.exitValue());
            }

            assertEquals(SweepState.FINISHED, sweeps.getSweep(id).state());
            List<Trial> trials = sweeps.listTrials(id);
            Set<Object> completed = new HashSet<>();
            Set<String> runs = new HashSet<>();
            int failed = 0;
            for (Trial t : trials) {
                assertTrue(runs.add(t.runId()), "one run per trial");
                if (t.state() == TrialState.COMPLETE) {
                    assertTrue(completed.add(t.params().get("x")), "ran twice: " + t.params());
                } else {
                    assertEquals(TrialState.FAILED, t.state());
                    failed++;
                }
            }
            assertEquals(24, completed.size(), "every grid point completed once");
            assertEquals(1, failed, "only the killed agent's trial failed");
            Trial retry = trials.stream().filter(t -> t.retryOf() != null).findFirst().orElseThrow();
            assertEquals(TrialState.COMPLETE, retry.state());
        } finally {
            agents.forEach(Process::destroyForcibly);
            server.close();
        }
    }

    private Process agent(String sweepId, String uri, boolean victim) throws java.io.IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.labbook.cli.Main", "sweep", "agent", sweepId, "--tracking-uri", uri, "--grace", "1")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent-" + System.nanoTime() + ".log").toFile());
        if (victim) {
            pb.environment().put("VICTIM", "1");
        } else {
            pb.environment().remove("VICTIM");
        }
        return pb.start();
    }
}
