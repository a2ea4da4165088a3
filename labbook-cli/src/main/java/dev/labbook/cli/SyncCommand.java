package dev.labbook.cli;

import dev.labbook.client.Sync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook sync}: uploads what runs logged but did not deliver (offline runs, crashed processes). */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Upload the spooled data of runs that were offline, crashed, or ended while the server was down. "
                + "Safe to repeat: nothing is ever stored twice.")
final class SyncCommand implements Callable<Integer> {
    @Option(names = "--spool-dir", description = "Folder of run spools (default: $LABBOOK_SPOOL_DIR or ~/.cache/labbook/spool).")
    Path spoolDir;

    @Option(names = "--tracking-uri", description = "Send every run here instead of where it was logging to.")
    String trackingUri;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to keep retrying each run (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        List<Sync.Result> results = Sync.all(spoolDir, trackingUri, Duration.ofSeconds(timeoutSeconds));
        int failed = 0;
        for (Sync.Result r : results) {
            if (r.complete()) {
                System.out.printf("synced   %s -> run %s (%d records)%s%n", r.spoolDir().getFileName(), r.runId(), r.records(),
                        refused(r));
            } else {
                failed++;
                System.out.printf("pending  %s -> run %s (%d records delivered): %s%n", r.spoolDir().getFileName(),
                        r.runId() == null ? "-" : r.runId(), r.records(), r.error() == null ? "not complete" : r.error());
            }
        }
        System.out.printf("%d run(s) synced, %d pending%n", results.size() - failed, failed);
        return failed == 0 ? 0 : 1;
    }

    /** What the server refused of a synced run (each refused key was also logged once, with the server's answer). */
    private static String refused(Sync.Result r) {
        StringBuilder sb = new StringBuilder();
        if (r.rejectedEntries() > 0) {
            sb.append("; ").append(r.rejectedEntries()).append(" entries refused by the server:");
            for (var x : r.rejections()) {
                sb.append(' ').append(x.kind()).append(" '").append(x.key()).append("' (").append(x.errorCode()).append(')');
            }
        }
        if (r.droppedRecords() > 0) {
            sb.append("; ").append(r.droppedRecords()).append(" records dropped (request refused)");
        }
        return sb.toString();
    }
}
