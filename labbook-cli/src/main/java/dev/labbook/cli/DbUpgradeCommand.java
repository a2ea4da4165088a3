package dev.labbook.cli;

import dev.labbook.store.jdbc.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code labbook db upgrade URI}: applies the schema migrations a backend store lacks, as
 * {@code mlflow db upgrade} does, for operators who migrate before they start (or roll) servers.
 * A server migrates on start too; this is the same migration, run once, on its own.
 */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Apply the schema migrations a backend store lacks, then print its schema version.")
final class DbUpgradeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI",
            description = "Backend store URI: sqlite:///ABSOLUTE/PATH.db or postgresql://USER:PASSWORD@HOST:PORT/DB.")
    String uri;

    @Override
    public Integer call() {
        try (Database db = Database.open(uri)) {
            System.out.println("Schema version " + db.schemaVersion() + " (" + db.dialect().name().toLowerCase(java.util.Locale.ROOT)
                    + "): " + Database.redact(uri));
        }
        return 0;
    }
}
