package dev.labbook.server.ui;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a seeded server for working on the dashboard by hand:
 * {@code mvn -q -o test-compile -pl labbook-server -am && java -cp ... dev.labbook.server.ui.DevServer [port]}.
 * Keeps one run RUNNING and logging so live updates can be watched.
 */
public final class DevServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5055;
        Path dir = Files.createTempDirectory("labbook-dev");
        LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", port, dir));
        String base = "http://127.0.0.1:" + server.port();
        Rest rest = new Rest(base);
        Seed seed = Seed.imdb(rest, 500);
        String live = rest.createRun(seed.experimentId, "live-run", System.currentTimeMillis());
        rest.params(live, Map.of("lr", 0.01, "model", "fasttext"));
        System.out.println("Labbook dev server on " + base + " (data in " + dir + "); experiment " + seed.experimentId
                + ", live run " + live);
        int step = 0;
        while (true) {
            final int s = step;
            rest.metric(live, "loss", s, s + 5, System.currentTimeMillis() - 5000, st -> 1.0 / (1 + st * 0.01) + 0.05 * Math.random());
            step += 5;
            Thread.sleep(1000);
        }
    }
}
