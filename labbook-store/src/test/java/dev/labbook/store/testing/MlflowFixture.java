package dev.labbook.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An MLflow tracking database built here, table by table, as MLflow's SQLAlchemy models and
 * Alembic migrations define it (mlflow/store/tracking/dbmodels/models.py,
 * mlflow/store/model_registry/dbmodels/models.py, db_migrations/versions): the 2.x tables, and
 * with {@code mlflow3} the logged-model tables and columns of 3.x. Rows are written with plain
 * SQL, as MLflow's store would leave them (NaN as value 0 with is_nan 1, soft-deleted model
 * versions in stage Deleted_Internal).
 */
public final class MlflowFixture implements AutoCloseable {
    private static final String[] TRACKING = {
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
        "CREATE TABLE experiments (experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),"
                + " lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT,"
                + " CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name),"
                + " CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')))",
        "CREATE TABLE experiment_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), experiment_id INTEGER NOT NULL,"
                + " CONSTRAINT experiment_tag_pk PRIMARY KEY (key, experiment_id),"
                + " FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id))",
        "CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),"
                + " entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT,"
                + " deleted_time BIGINT, source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),"
                + " experiment_id INTEGER, CONSTRAINT run_pk PRIMARY KEY (run_uuid),"
                + " CONSTRAINT status CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')),"
                + " FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id))",
        "CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL,"
                + " CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid))",
        "CREATE INDEX index_tags_run_uuid ON tags (run_uuid)",
        "CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) NOT NULL,"
                + " CONSTRAINT param_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid))",
        "CREATE INDEX index_params_run_uuid ON params (run_uuid)",
        "CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL,"
                + " run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL, is_nan BOOLEAN DEFAULT '0' NOT NULL,"
                + " CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan),"
                + " FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid))",
        "CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid)",
        "CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL,"
                + " is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL, CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid),"
                + " FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid))",
        "CREATE TABLE datasets (dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL, name VARCHAR(500) NOT NULL,"
                + " digest VARCHAR(36) NOT NULL, dataset_source_type VARCHAR(36) NOT NULL, dataset_source TEXT NOT NULL,"
                + " dataset_schema TEXT, dataset_profile TEXT, CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest),"
                + " FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id))",
        "CREATE TABLE input_tags (input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL, value VARCHAR(500) NOT NULL,"
                + " CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name))",
        "CREATE TABLE registered_models (name VARCHAR(256) NOT NULL, creation_time BIGINT, last_updated_time BIGINT,"
                + " description VARCHAR(5000), CONSTRAINT registered_model_pk PRIMARY KEY (name))",
        // the 2.x shape; MLFLOW3 adds its columns
        "CREATE TABLE model_versions (name VARCHAR(256) NOT NULL, version INTEGER NOT NULL,"
                + " creation_time BIGINT, last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),"
                + " current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32), status VARCHAR(20), status_message VARCHAR(500),"
                + " run_link VARCHAR(500), CONSTRAINT model_version_pk PRIMARY KEY (name, version),"
                + " FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE cascade)",
        "CREATE TABLE inputs (input_uuid VARCHAR(36) NOT NULL, source_type VARCHAR(36) NOT NULL,"
                + " source_id VARCHAR(36) NOT NULL, destination_type VARCHAR(36) NOT NULL, destination_id VARCHAR(36) NOT NULL,"
                + " CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id))",
        "CREATE TABLE registered_model_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), name VARCHAR(256) NOT NULL,"
                + " CONSTRAINT registered_model_tag_pk PRIMARY KEY (key, name),"
                + " FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE cascade)",
        "CREATE TABLE model_version_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), name VARCHAR(256) NOT NULL,"
                + " version INTEGER NOT NULL, CONSTRAINT model_version_tag_pk PRIMARY KEY (key, name, version),"
                + " FOREIGN KEY(name, version) REFERENCES model_versions (name, version) ON UPDATE cascade)",
        "CREATE TABLE registered_model_aliases (alias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,"
                + " CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias),"
                + " CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY(name) REFERENCES registered_models (name)"
                + " ON DELETE cascade ON UPDATE cascade)",
    };

    /** What MLflow 3 adds: a step on inputs, storage location and model id on versions, logged models. */
    private static final String[] MLFLOW3 = {
        "ALTER TABLE inputs ADD COLUMN step BIGINT DEFAULT '0' NOT NULL",
        "ALTER TABLE model_versions ADD COLUMN storage_location VARCHAR(500)",
        "ALTER TABLE model_versions ADD COLUMN model_id VARCHAR(36)",
        "CREATE TABLE logged_models (model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL, name VARCHAR(500) NOT NULL,"
                + " artifact_location VARCHAR(1000) NOT NULL, creation_timestamp_ms BIGINT NOT NULL,"
                + " last_updated_timestamp_ms BIGINT NOT NULL, status INTEGER NOT NULL, lifecycle_stage VARCHAR(32),"
                + " model_type VARCHAR(500), source_run_id VARCHAR(32), status_message VARCHAR(1000),"
                + " CONSTRAINT logged_models_lifecycle_stage_check CHECK (lifecycle_stage IN ('active', 'deleted')),"
                + " CONSTRAINT fk_logged_models_experiment_id FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)"
                + " ON DELETE CASCADE, CONSTRAINT logged_models_pk PRIMARY KEY (model_id))",
        "CREATE TABLE logged_model_metrics (model_id VARCHAR(36) NOT NULL, metric_name VARCHAR(500) NOT NULL,"
                + " metric_timestamp_ms BIGINT NOT NULL, metric_step BIGINT NOT NULL, metric_value FLOAT, experiment_id INTEGER NOT NULL,"
                + " run_id VARCHAR(32) NOT NULL, dataset_uuid VARCHAR(36), dataset_name VARCHAR(500), dataset_digest VARCHAR(36),"
                + " CONSTRAINT logged_model_metrics_pk PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step, run_id),"
                + " FOREIGN KEY(model_id) REFERENCES logged_models (model_id) ON DELETE CASCADE)",
        "CREATE TABLE logged_model_params (model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,"
                + " param_key VARCHAR(255) NOT NULL, param_value TEXT NOT NULL,"
                + " CONSTRAINT logged_model_params_pk PRIMARY KEY (model_id, param_key),"
                + " FOREIGN KEY(model_id) REFERENCES logged_models (model_id) ON DELETE CASCADE)",
        "CREATE TABLE logged_model_tags (model_id VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,"
                + " tag_key VARCHAR(255) NOT NULL, tag_value TEXT NOT NULL,"
                + " CONSTRAINT logged_model_tags_pk PRIMARY KEY (model_id, tag_key),"
                + " FOREIGN KEY(model_id) REFERENCES logged_models (model_id) ON DELETE CASCADE)",
    };

    /** Runs and the logged model of {@link #standard}. */
    public static final String R1 = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    public static final String R2 = "1111111111111111111111111111111a";
    public static final String R3 = "2222222222222222222222222222222b";
    public static final String MODEL_ID = "m-5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7";

    /**
     * The standard fixture in {@code dir}: {@code mlflow.db} and {@code mlartifacts/}. Three
     * experiments (proxy, file:// and default locations), three runs with params, tags, metric
     * histories (one with a NaN) and files, a dataset input, a registered model with three
     * versions (one soft-deleted) and two aliases; with {@code mlflow3} a logged model too.
     */
    public static Path standard(Path dir, boolean mlflow3) throws SQLException, IOException {
        Files.createDirectories(dir);
        Path db = dir.resolve("mlflow.db");
        try (MlflowFixture f = new MlflowFixture(db, dir.resolve("mlartifacts"), mlflow3)) {
            fillStandard(f, mlflow3);
        }
        return db;
    }

    /** {@link #standard} in the database behind {@code c}, with its files in {@code dir/mlartifacts}. */
    public static void standard(Connection c, Path dir, boolean mlflow3) throws SQLException {
        try (MlflowFixture f = new MlflowFixture(c, dir.resolve("mlartifacts"), mlflow3)) {
            fillStandard(f, mlflow3);
        }
    }

    private static void fillStandard(MlflowFixture f, boolean mlflow3) {
        f.experiment(0, "Default", "mlflow-artifacts:/0")
                .experiment(1, "imdb", "mlflow-artifacts:/1")
                // a store that ran without the proxy, on another machine: only the layout below mlruns is known
                .experiment(2, "legacy", "file:///old/host/mlruns/2")
                .sql("INSERT INTO experiment_tags VALUES ('team', 'nlp', 1)");
        f.run(R1, 1, "alpha", "FINISHED", "mlflow-artifacts:/1/" + R1 + "/artifacts", "active")
                .run(R2, 1, "beta", "FAILED", "mlflow-artifacts:/1/" + R2 + "/artifacts", "deleted")
                .run(R3, 2, "gamma", "FINISHED", "file:///old/host/mlruns/2/" + R3 + "/artifacts", "active");
        f.sql("INSERT INTO params VALUES ('lr', '0.01', ?)", R1).sql("INSERT INTO params VALUES ('epochs', '3', ?)", R1)
                .sql("INSERT INTO params VALUES ('lr', '0.1', ?)", R2)
                .sql("INSERT INTO tags VALUES ('mlflow.user', 'ada', ?)", R1)
                .sql("INSERT INTO tags VALUES ('stage', 'final', ?)", R1);
        f.metric(R1, "loss", 1500, s -> 1.0 / (s + 1))
                .metric(R1, "acc", 100, s -> s == 50 ? Double.NaN : s / 100.0)
                .metric(R2, "loss", 10, s -> 2.0 - s * 0.1)
                .metric(R3, "loss", 5, s -> 3.0);
        f.sql("INSERT INTO datasets VALUES ('d-1', 1, 'imdb', 'abc123', 'local', '{\"uri\": \"/data/imdb\"}', '{}', '{\"num_rows\": 25000}')")
                .sql("INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)"
                        + " VALUES ('i-1', 'DATASET', 'd-1', 'RUN', ?)", R1)
                .sql("INSERT INTO input_tags VALUES ('i-1', 'mlflow.data.context', 'training')");
        f.file("1/" + R1 + "/artifacts/model/MLmodel", "artifact_path: model\nrun_id: " + R1 + "\n")
                .file("1/" + R1 + "/artifacts/model/weights.bin", "w".repeat(10_000))
                .file("1/" + R1 + "/artifacts/notes.txt", "first run")
                .file("2/" + R3 + "/artifacts/model/MLmodel", "artifact_path: model\nrun_id: " + R3 + "\n");
        f.sql("INSERT INTO registered_models VALUES ('sentiment', 1700000400000, 1700000500000, 'IMDb sentiment')")
                .sql("INSERT INTO registered_model_tags VALUES ('owner', 'ada', 'sentiment')");
        version(f, 1, "mlflow-artifacts:/1/" + R1 + "/artifacts/model", R1, "None");
        version(f, 2, "mlflow-artifacts:/1/" + R2 + "/artifacts/model", R2, "Deleted_Internal");
        version(f, 3, "file:///old/host/mlruns/2/" + R3 + "/artifacts/model", R3, "Staging");
        f.sql("INSERT INTO model_version_tags VALUES ('validated', 'yes', 'sentiment', 1)")
                .sql("INSERT INTO registered_model_aliases VALUES ('champion', 1, 'sentiment')")
                .sql("INSERT INTO registered_model_aliases VALUES ('challenger', 3, 'sentiment')");
        if (mlflow3) {
            f.sql("INSERT INTO logged_models VALUES (?, 1, 'classifier', ?, 1700000150000, 1700000160000, 2, 'active',"
                            + " 'sklearn', ?, NULL)", MODEL_ID, "mlflow-artifacts:/1/models/" + MODEL_ID + "/artifacts", R1)
                    .sql("INSERT INTO logged_model_params VALUES (?, 1, 'C', '1.0')", MODEL_ID)
                    .sql("INSERT INTO logged_model_tags VALUES (?, 1, 'mlflow.source.name', 'train.py')", MODEL_ID)
                    .sql("INSERT INTO logged_model_metrics VALUES (?, 'acc', ?, 99, 0.99, 1, ?, 'd-1', 'imdb', 'abc123')",
                            MODEL_ID, 1_700_000_100_000L + 990, R1)
                    .sql("INSERT INTO inputs VALUES ('o-1', 'RUN_OUTPUT', ?, 'MODEL_OUTPUT', ?, 7)", R1, MODEL_ID)
                    .file("1/models/" + MODEL_ID + "/artifacts/MLmodel", "model_id: " + MODEL_ID + "\n");
        }
    }

    private static void version(MlflowFixture f, int v, String source, String runId, String stage) {
        f.sql("INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,"
                + " source, run_id, status, status_message, run_link) VALUES ('sentiment', ?, ?, ?, '', 'ada', ?, ?, ?, 'READY', '', '')",
                v, 1_700_000_400_000L + v, 1_700_000_400_000L + v, stage, source, runId);
    }

    /**
     * A database of realistic size for measuring the import: {@code runs} runs in 4 experiments,
     * each with 10 params, 5 tags, {@code metrics} metrics of {@code steps} points and a small
     * model folder. {@code java -cp ... MlflowFixture DIR [RUNS METRICS STEPS]} writes it to DIR.
     */
    public static Path generate(Path dir, int runs, int metrics, int steps) throws SQLException, IOException {
        Files.createDirectories(dir);
        Path db = dir.resolve("mlflow.db");
        try (MlflowFixture f = new MlflowFixture(db, dir.resolve("mlartifacts"), true)) {
            for (int e = 1; e <= 4; e++) {
                f.experiment(e, "bench-" + e, "mlflow-artifacts:/" + e);
            }
            java.util.Random random = new java.util.Random(42);
            for (int r = 0; r < runs; r++) {
                String id = String.format("%032x", 0xbe00_0000L + r);
                int exp = 1 + r % 4;
                f.run(id, exp, "run-" + r, "FINISHED", "mlflow-artifacts:/" + exp + "/" + id + "/artifacts", "active");
                for (int p = 0; p < 10; p++) {
                    f.sql("INSERT INTO params VALUES (?, ?, ?)", "param_" + p, Integer.toString(random.nextInt(1000)), id);
                }
                for (int t = 0; t < 5; t++) {
                    f.sql("INSERT INTO tags VALUES (?, ?, ?)", "tag_" + t, "value " + t, id);
                }
                for (int m = 0; m < metrics; m++) {
                    double scale = random.nextDouble();
                    f.metric(id, "metric_" + m, steps, s -> scale / (s + 1) + random.nextDouble() * 1e-3);
                }
                f.file(exp + "/" + id + "/artifacts/model/MLmodel", "artifact_path: model\nrun_id: " + id + "\n");
                f.commit();
            }
        }
        return db;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int metrics = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        long t0 = System.nanoTime();
        Path db = generate(dir, runs, metrics, steps);
        System.out.printf("%s: %d runs x %d metrics x %d steps in %.1f s%n", db, runs, metrics, steps, (System.nanoTime() - t0) / 1e9);
    }

    private final Connection c;
    public final Path artifactRoot;

    /** Creates the schema in a new SQLite file; {@code artifactRoot} is the mlartifacts folder. */
    public MlflowFixture(Path dbFile, Path artifactRoot, boolean mlflow3) throws SQLException {
        this(sqlite(dbFile), artifactRoot, mlflow3);
    }

    private static Connection sqlite(Path dbFile) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            // a fixture: no durability wanted (writing a large one otherwise waits on the disk at every commit)
            st.execute("PRAGMA synchronous = OFF");
        }
        return c;
    }

    /** Creates the schema in the empty database behind {@code c} (an MLflow on PostgreSQL, say); closes it when closed. */
    public MlflowFixture(Connection c, Path artifactRoot, boolean mlflow3) throws SQLException {
        this.c = c;
        this.artifactRoot = artifactRoot;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String ddl : TRACKING) {
                st.execute(ddl);
            }
            if (mlflow3) {
                for (String ddl : MLFLOW3) {
                    st.execute(ddl);
                }
            }
            st.execute("INSERT INTO alembic_version VALUES ('" + (mlflow3 ? "400f98739977" : "0584bdc529eb") + "')");
        }
        c.commit();
    }

    /** Runs one statement with the given values. */
    public MlflowFixture sql(String sql, Object... values) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public MlflowFixture experiment(int id, String name, String artifactLocation) {
        return sql("INSERT INTO experiments VALUES (?, ?, ?, 'active', ?, ?)", id, name, artifactLocation, 1_700_000_000_000L + id,
                1_700_000_000_000L + id);
    }

    public MlflowFixture run(String runId, int experimentId, String name, String status, String artifactUri, String lifecycle) {
        sql("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time,"
                        + " deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id)"
                        + " VALUES (?, ?, 'LOCAL', '', '', 'ada', ?, ?, ?, ?, '', ?, ?, ?)",
                runId, name, status, 1_700_000_100_000L, 1_700_000_200_000L,
                "deleted".equals(lifecycle) ? 1_700_000_300_000L : null, lifecycle, artifactUri, experimentId);
        return sql("INSERT INTO tags VALUES ('mlflow.runName', ?, ?)", name, runId);
    }

    /** A metric history of {@code steps} points, with its latest value in latest_metrics as MLflow keeps it. */
    public MlflowFixture metric(String runId, String key, int steps, java.util.function.LongToDoubleFunction value) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long s = 0; s < steps; s++) {
                double v = value.applyAsDouble(s);
                boolean nan = Double.isNaN(v);
                ps.setString(1, key);
                ps.setDouble(2, nan ? 0 : v);
                ps.setLong(3, 1_700_000_100_000L + s * 10);
                ps.setString(4, runId);
                ps.setLong(5, s);
                ps.setBoolean(6, nan);
                ps.addBatch();
                if (s % 10_000 == 9_999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        double last = value.applyAsDouble(steps - 1);
        boolean nan = Double.isNaN(last);
        return sql("INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?)", key, nan ? 0 : last,
                1_700_000_100_000L + (steps - 1) * 10L, (long) (steps - 1), nan, runId);
    }

    /** A file under the artifact root. */
    public MlflowFixture file(String relativePath, String content) {
        try {
            Path p = artifactRoot.resolve(relativePath);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void commit() {
        try {
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        c.commit();
        c.close();
    }
}
