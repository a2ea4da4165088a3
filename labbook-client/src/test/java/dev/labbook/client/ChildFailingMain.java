package dev.labbook.client;

import java.nio.file.Path;

/** Training code whose exception escapes the run's try block and kills main: args tracking URI, spool root. */
public final class ChildFailingMain {
    private ChildFailingMain() {}

    public static void main(String[] args) {
        try (Run run = Labbook.init(new RunOptions().setExperiment("failing").optTrackingUri(args[0])
                .optSpoolDir(Path.of(args[1])).optSystemMetrics(false).optCaptureEnvironment(false))) {
            System.out.println("RUN " + run.id());
            run.log("loss", 1);
            throw new IllegalStateException("diverged");
        }
    }
}
