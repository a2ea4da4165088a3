package dev.labbook.server.ui;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a seeded server for working on the dashboard by hand, with one run RUNNING and logging so
 * live updates can be watched: {@code DevServer [port] [bench | DATA_DIR]} on the test classpath.
 * {@code bench} adds the benchmark's 10,000 runs and million-point metric; a DATA_DIR reuses the
 * data a previous dev server left there.
 */
public final class DevServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5055;
        String mode = args.length > 1 ? args[1] : "";
        boolean reuse = !mode.isEmpty() && !mode.equals("bench");
        Path dir = reuse ? Path.of(mode) : Files.createTempDirectory("labbook-dev");
        LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", port, dir));
        String base = "http://127.0.0.1:" + server.port();
        Rest rest = new Rest(base);
        String experimentId = reuse ? "1" : Seed.imdb(rest, 500).experimentId;
        if (mode.equals("bench")) {
            String[] ids = DashboardBenchmark.seed(server.trackingStore());
            System.out.println("bench experiment " + ids[0] + ", million-point run " + ids[1]);
        }
        String live = rest.createRun(experimentId, "live-run", System.currentTimeMillis());
        rest.params(live, Map.of("lr", 0.01, "model", "fasttext"));
        System.out.println("Labbook dev server on " + base + " (data in " + dir + "); experiment " + experimentId
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
