package dev.labbook.serving;

import dev.labbook.train.model.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The entry point of a jar written by {@link ModelPackager}: {@code java -jar model.jar [--port
 * 5000] [--host 127.0.0.1] [--workers N] [--timeout SECONDS]}. Unpacks the model into a
 * temporary directory and serves it; it needs no registry, no network and no Labbook install.
 */
public final class PackagedMain {
    private PackagedMain() {}

    /** Serves the model packaged in this jar; see the class comment for the options. */
    public static void main(String[] args) throws IOException {
        for (String noisy : new String[] {"org.eclipse.jetty", "io.javalin"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + noisy, System.getProperty("org.slf4j.simpleLogger.log." + noisy, "warn"));
        }
        ServingOptions o = ServingOptions.defaults("127.0.0.1", 5000);
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-p", "--port" -> o = new ServingOptions(o.host(), Integer.parseInt(args[++i]), o.workers(), o.timeout(),
                            o.maxBodyBytes(), o.pollInterval());
                    case "-h", "--host" -> o = new ServingOptions(args[++i], o.port(), o.workers(), o.timeout(), o.maxBodyBytes(),
                            o.pollInterval());
                    case "-w", "--workers" -> o = o.withWorkers(Integer.parseInt(args[++i]));
                    case "-t", "--timeout" -> o = o.withTimeout(Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000)));
                    case "--help" -> {
                        System.out.println("usage: java -jar model.jar [--port 5000] [--host 127.0.0.1] [--workers N] [--timeout SECONDS]");
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("model.jar: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option lacks its value" : e.getMessage())
                    + "; usage: java -jar model.jar [--port 5000] [--host 127.0.0.1] [--workers N] [--timeout SECONDS]");
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("labbook-model-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ModelCache.deleteTree(dir)));
        if (!ModelPackager.extractModel(dir)) {
            System.err.println("model.jar: this jar holds no model (write one with: labbook models package -m MODEL_URI -o model.jar)");
            System.exit(1);
            return;
        }
        Properties origin = ModelPackager.origin();
        LoadedModel model = new LoadedModel(origin.getProperty("uri", "packaged"), origin.getProperty("name"),
                origin.getProperty("version"), origin.getProperty("run_id"), dir, Signature.inputColumn(dir), Models.load(dir));
        ScoringServer server = ScoringServer.start(o);
        server.install(model);
        System.out.printf("serving %s on http://%s:%d/invocations%n", model.label(), o.host(), server.port());
        System.out.flush();
    }
}
