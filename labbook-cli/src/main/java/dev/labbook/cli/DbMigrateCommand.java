package dev.labbook.cli;

import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.transfer.StoreMigration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook db migrate}: copies a whole store into another, verified and resumable. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy a whole Labbook store (every table, then every artifact) into another, e.g. SQLite to PostgreSQL,",
            "verifying row counts and checksums per table and SHA-256 per file. Resumable: run it again after an interruption.",
            "Stop servers writing to either store first."})
final class DbMigrateCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "URI_OR_DIR", description = "The source store: a backend store URI or a data folder.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "URI_OR_DIR", description = "The target store: a backend store URI or a data folder.")
    String to;

    @Option(names = "--from-artifacts", paramLabel = "DIR", description = "The source's artifact folder (default: the source store's own).")
    String fromArtifacts;

    @Option(names = "--to-artifacts", paramLabel = "DIR", description = "The target's artifact folder (default: the target store's own).")
    String toArtifacts;

    @Option(names = "--batch-rows", defaultValue = "2000", description = "Rows per committed batch (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--stop-after", defaultValue = "-1", hidden = true, description = "Stop after this many rows and files (tests).")
    long stopAfter;

    @Override
    public Integer call() {
        StoreLocation source = StoreLocation.of(from, fromArtifacts);
        StoreLocation target = StoreLocation.of(to, toArtifacts);
        if (source.databaseUri().equals(target.databaseUri())) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--from and --to name the same store (" + source.redactedUri() + ")");
        }
        ArtifactStore sourceFiles = source.openArtifacts();
        ArtifactStore targetFiles = target.openArtifacts();
        if (sourceFiles == null || targetFiles == null) {
            System.out.println("  (no artifact folder for " + (sourceFiles == null ? "the source" : "the target")
                    + ": copying the database only; pass --from-artifacts and --to-artifacts)");
        }
        System.out.printf("Migrating %s into %s%n", source.redactedUri(), target.redactedUri());
        try (Database src = Database.open(source.databaseUri()); Database dst = Database.open(target.databaseUri())) {
            StoreMigration.Result r = new StoreMigration(new StoreMigration.Options(batchRows, stopAfter, line -> {
                System.out.println("  " + line);
                System.out.flush();
            })).run(src, dst, sourceFiles, targetFiles);
            System.out.printf("Migrated and verified in %.1f s: %,d tables, %,d rows (%,d copied now, %,.0f rows/s), "
                            + "%,d files copied, %,d already present%n",
                    r.millis() / 1000.0, r.tables().size(), r.rows(), r.rowsCopied(), r.rowsPerSecond(),
                    r.files().added("artifact files"), r.files().present("artifact files"));
        }
        return 0;
    }
}
