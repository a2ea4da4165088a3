package dev.labbook.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Training code in its own JVM, for the test that kills it: args tracking URI, spool root, points.
 * Logs the points, says so, and then waits to be killed without ever finishing the run.
 */
public final class ChildTrainingMain {
    private ChildTrainingMain() {}

    public static void main(String[] args) throws InterruptedException {
        int points = Integer.parseInt(args[2]);
        Run run = Labbook.init(new RunOptions().setExperiment("crash").optRunName("doomed")
                .optTrackingUri(args[0]).optSpoolDir(Path.of(args[1])).optConfig(Map.of("points", points))
                .optSystemMetrics(false).optCaptureEnvironment(false).optTimeout(Duration.ofMinutes(2)));
        System.out.println("RUN " + run.clientId());
        for (int i = 0; i < points; i++) {
            run.log("loss", 1.0 / (i + 1));
        }
        run.setTag("last", "tag");
        System.out.println("LOGGED " + points);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
