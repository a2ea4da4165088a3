package dev.labbook.store.bench;

import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcSweepStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: the server-side cost of a TPE claim (sampler, trial, child run, one transaction)
 * once a sweep has 1,000 finished trials, on SQLite. Run with the store's test classpath.
 */
public final class SweepClaimBenchmark {
    private SweepClaimBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("labbook-claim-bench");
        try (Database db = Database.openSqlite(dir.resolve("labbook.db")); JdbcTrackingStore tracking = new JdbcTrackingStore(db)) {
            JdbcSweepStore sweeps = new JdbcSweepStore(db, tracking);
            String id = sweeps.createSweep("""
                    method: tpe
                    metric: {name: y}
                    seed: 1
                    parameters:
                      a: {min: 0.0, max: 1.0}
                      b: {distribution: log_uniform_values, min: 1.0e-4, max: 1.0}
                      c: {min: 1, max: 64}
                      d: {values: [x, y, z]}
                    """, null).sweepId();
            for (int n = 0; n < 1100; n++) {
                long t0 = System.nanoTime();
                Trial t = sweeps.claim(id, "bench").trial();
                long claimed = System.nanoTime();
                sweeps.finishTrial(t.trialId(), "bench", TrialState.COMPLETE,
                        (Double) t.params().get("a") + (Double) t.params().get("b"));
                if (n >= 1000 && n % 20 == 0) {
                    System.out.printf("claim with %d finished trials: %.1f ms (finish %.1f ms)%n", n,
                            (claimed - t0) / 1e6, (System.nanoTime() - claimed) / 1e6);
                }
            }
        }
    }
}
