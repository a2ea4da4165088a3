package dev.labbook.client;

import dev.labbook.client.sweep.SweepAgent;
import dev.labbook.client.sweep.SweepTrial;
import dev.labbook.client.sweep.Sweeps;
import dev.labbook.sweep.Trial;
import java.util.List;

/**
 * Sweep agents in-process:
 *
 * <pre>{@code
 * Sweep.agent(sweepId, trial -> {
 *     double lr = trial.doubleParam("lr");
 *     for (int epoch = 1; epoch <= 10; epoch++) {
 *         if (trial.report(epoch, train(lr))) {
 *             return null;                       // pruned
 *         }
 *     }
 *     return accuracy;                           // the trial's metric value
 * });
 * }</pre>
 *
 * The sweep lives where the tracking URI points (LABBOOK_TRACKING_URI, MLFLOW_TRACKING_URI, or
 * ./labbook-data): a server shared by agents on many machines, or a local store.
 */
public final class Sweep {
    private Sweep() {}

    /** The code of one trial: returns its metric value, or null to let the server read it from the run. */
    @FunctionalInterface
    public interface Objective {
        Double run(SweepTrial trial) throws Exception;
    }

    /** Runs trials of the sweep until it is over; returns them as ended. */
    public static List<Trial> agent(String sweepId, Objective objective) {
        return agent(sweepId, null, SweepAgent.Options.defaults(), objective);
    }

    /**
     * Runs trials of the sweep at {@code trackingUri} (null: the default) with {@code options}.
     */
    public static List<Trial> agent(String sweepId, String trackingUri, SweepAgent.Options options, Objective objective) {
        try (Sweeps sweeps = Sweeps.open(trackingUri)) {
            return SweepAgent.run(sweeps, sweepId, options, control -> SweepAgent.Result.complete(
                    objective.run(SweepTrial.of(control))));
        }
    }
}
