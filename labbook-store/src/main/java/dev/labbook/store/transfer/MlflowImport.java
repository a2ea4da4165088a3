package dev.labbook.store.transfer;

import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.jdbc.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Imports an MLflow tracking database (its SQLAlchemy schema, MLflow 2.x or 3.x, on SQLite or
 * PostgreSQL) and its local artifacts into a Labbook store, keeping experiment and run ids, run
 * and model version artifacts where {@code runs:/} and {@code models:/} URIs find them, and
 * registered model names, version numbers and aliases.
 *
 * <p>Idempotent: what the store already has (same ids, same content) is counted as already
 * present and left alone, so a second import of the same database adds nothing, and an import
 * of a database that has grown since adds what is new. An id that the store holds for something
 * else (an experiment id with another name, a run id in another experiment, a model version
 * from another source) stops the import with one message naming it, before anything of that
 * entity is written.
 *
 * <p>Labbook's own derived data (latest metrics, metric block summaries, run change numbers)
 * is written by the store's log-batch code path ({@link dev.labbook.store.jdbc.BulkWrites}), so
 * imported runs chart and search like logged ones; MLflow's {@code latest_metrics} only adds
 * a point for a metric whose history is missing.
 */
public final class MlflowImport {
    /**
     * @param artifactRoot the MLflow artifact root ({@code mlartifacts}, {@code mlruns}); null
     *     imports no files
     * @param progress receives progress lines
     */
    public record Options(Path artifactRoot, Consumer<String> progress) {}

    /** What an import did. */
    public record Result(Tally tally, long rowsRead, long artifactBytes, long millis) {
        /** Source rows read per second. */
        public double rowsPerSecond() {
            return millis == 0 ? rowsRead * 1000.0 : rowsRead * 1000.0 / millis;
        }
    }

    private final Database target;
    private final ArtifactStore artifacts;
    private final Options options;

    public MlflowImport(Database target, ArtifactStore artifacts, Options options) {
        this.target = target;
        this.artifacts = artifacts;
        this.options = options;
    }

    /** Imports the MLflow database at {@code sourceUri} ({@code sqlite:///...} or {@code postgresql://...}). */
    public Result run(String sourceUri) {
        long start = System.nanoTime();
        Tally tally = new Tally();
        try (SourceDatabase src = SourceDatabase.open(sourceUri)) {
            if (!src.hasTable("experiments") || !src.hasTable("runs")) {
                throw LabbookException.invalid("%s is not an MLflow tracking database (it has no experiments and runs tables)",
                        SourceDatabase.redact(sourceUri));
            }
            ImportContext ctx = new ImportContext(src, target, artifacts, new MlflowLocations(options.artifactRoot()),
                    tally, options.progress(), start);
            new ExperimentImport(ctx).run();
            new LoggedModelImport(ctx).run();
            Map<String, String> runUris = new RunImport(ctx).run();
            new RegistryImport(ctx, runUris).run();
            // experiments came with their ids: the database's next id must come after them
            target.write(h -> {
                for (String table : List.of("experiments", "runs")) {
                    for (String sql : target.dialect().afterKeyedInserts(table, table.equals("runs") ? "run_pk" : "experiment_id")) {
                        h.execute(sql);
                    }
                }
                return null;
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(tally, src.rowsRead(), ctx.files.bytes(), millis);
        }
    }

    /** What the parts of an import share. */
    static final class ImportContext {
        final SourceDatabase src;
        final Database db;
        final MlflowLocations locations;
        final ArtifactCopy files;
        final Tally tally;
        final Consumer<String> progress;
        final long startNanos;
        final ArtifactStore artifacts;

        ImportContext(SourceDatabase src, Database db, ArtifactStore artifacts, MlflowLocations locations, Tally tally,
                Consumer<String> progress, long startNanos) {
            this.src = src;
            this.db = db;
            this.artifacts = artifacts;
            this.locations = locations;
            this.files = new ArtifactCopy(artifacts, tally);
            this.tally = tally;
            this.progress = progress == null ? s -> { } : progress;
            this.startNanos = startNanos;
        }

        /** Copies the files of a located entity, when they are here. */
        void copyFiles(MlflowLocations.Location loc) {
            if (loc.localDir() != null && artifacts != null) {
                files.copyTree(loc.localDir(), loc.storePath());
            }
        }

        double rate() {
            double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            return src.rowsRead() / secs;
        }

        /** Counts the results of a batch of {@code INSERT ... ON CONFLICT DO NOTHING}. */
        void count(String kind, int[] results) {
            long added = 0;
            for (int r : results) {
                added += r > 0 ? 1 : 0;
            }
            tally.added(kind, added);
            tally.present(kind, results.length - added);
        }
    }
}
