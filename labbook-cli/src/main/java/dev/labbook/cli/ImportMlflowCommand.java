package dev.labbook.cli;

import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.transfer.MlflowImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labbook import mlflow}: an MLflow tracking database and its artifacts into a Labbook store. */
@Command(name = "mlflow", mixinStandardHelpOptions = true,
        description = {"Import an MLflow tracking database (MLflow 2.x or 3.x, SQLite or PostgreSQL) and its local artifacts,",
            "keeping experiment and run ids, model names, versions and aliases, so runs:/ and models:/ URIs keep working.",
            "Idempotent: importing the same database again adds nothing. Stop servers writing to the target first."})
final class ImportMlflowCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "MLFLOW_BACKEND_URI",
            description = "The MLflow backend store, e.g. sqlite:///ABS/PATH/mlflow.db or postgresql://USER:PASSWORD@HOST:PORT/DB.")
    String from;

    @Option(names = "--artifacts", paramLabel = "MLFLOW_ARTIFACT_ROOT",
            description = "The MLflow artifact folder (its server's --artifacts-destination, usually mlartifacts, or mlruns).")
    Path artifacts;

    @Option(names = "--to", paramLabel = "URI_OR_DIR",
            description = "The Labbook store: a backend store URI or a data folder (default: ./labbook-data).")
    String to;

    @Option(names = "--to-artifacts", paramLabel = "DIR",
            description = "The Labbook artifact folder (default: the store's own, e.g. ./labbook-data/artifacts).")
    String toArtifacts;

    @Override
    public Integer call() {
        if (artifacts != null && !Files.isDirectory(artifacts)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--artifacts " + artifacts + " is not a folder");
        }
        StoreLocation target = StoreLocation.of(to, toArtifacts);
        ArtifactStore files = artifacts == null ? null : target.openArtifacts();
        System.out.printf("Importing MLflow %s into %s%n", Database.redact(from), target.redactedUri());
        try (Database db = Database.open(target.databaseUri())) {
            MlflowImport.Result r = new MlflowImport(db, files, new MlflowImport.Options(artifacts, line -> {
                System.out.println("  " + line);
                System.out.flush();
            })).run(from);
            r.tally().lines().forEach(l -> System.out.println("  " + l));
            System.out.printf("Imported in %.1f s: %,d rows read, %,.0f rows/s; %,d artifact bytes copied%n",
                    r.millis() / 1000.0, r.rowsRead(), r.rowsPerSecond(), r.artifactBytes());
        }
        return 0;
    }
}
