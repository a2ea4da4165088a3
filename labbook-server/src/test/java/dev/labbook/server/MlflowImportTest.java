package dev.labbook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.artifact.LocalArtifactStore;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.testing.MlflowFixture;
import dev.labbook.store.transfer.MlflowImport;
import dev.labbook.store.transfer.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

/**
 * {@code import mlflow} end to end: an MLflow 3 database built from MLflow's schema, with an
 * mlartifacts folder, imported into a fresh store; then a real server on that store answers the
 * official MLflow Java client and raw HTTP with the same runs, histories, params, tags, files,
 * registry versions and aliases; and a second import adds nothing. The Labbook store is on the
 * suite's database (SQLite, or PostgreSQL in its test execution).
 */
class MlflowImportTest {
    private static final String R1 = MlflowFixture.R1;
    private static final String R2 = MlflowFixture.R2;
    private static final String R3 = MlflowFixture.R3;
    private static final String MODEL_ID = MlflowFixture.MODEL_ID;

    @TempDir
    Path tmp;
    /** One store per data folder, on the suite's database (SQLite, or PostgreSQL in its execution). */
    private final Map<Path, ServerConfig> stores = new HashMap<>();

    private ServerConfig store(Path dataDir) {
        return stores.computeIfAbsent(dataDir, d -> TestConfigs.embedded("127.0.0.1", 0, d));
    }

    private Path mlflowDatabase(boolean mlflow3) throws Exception {
        return MlflowFixture.standard(tmp, mlflow3);
    }

    private Tally importInto(Path dataDir, Path mlflowDb) {
        ServerConfig cfg = store(dataDir);
        List<String> progress = new ArrayList<>();
        try (Database db = Database.open(cfg.backendStoreUri())) {
            MlflowImport.Result r = new MlflowImport(db, new LocalArtifactStore(Path.of(cfg.artifactsDestination().toString())),
                    new MlflowImport.Options(tmp.resolve("mlartifacts"), progress::add)).run("sqlite:///" + mlflowDb);
            assertTrue(r.rowsRead() > 1600, "rows read: " + r.rowsRead());
            assertFalse(progress.isEmpty());
            return r.tally();
        }
    }

    @Test
    void importedRunsModelsAndFilesServeLikeMlflowsAndASecondImportAddsNothing() throws Exception {
        Path mlflowDb = mlflowDatabase(true);
        Path data = tmp.resolve("labbook-data");
        Tally first = importInto(data, mlflowDb);
        assertEquals(3, first.added("experiments"));
        assertEquals(3, first.added("runs"));
        assertEquals(1500 + 100 + 10 + 5, first.added("metric points"));
        assertEquals(3, first.added("params"));
        assertEquals(2, first.added("model versions"), "the soft-deleted version is not imported");
        assertEquals(5, first.added("artifact files"));
        assertEquals(1, first.added("logged models"));

        try (LabbookServer server = LabbookServer.start(store(data));
                MlflowClient client = new MlflowClient("http://127.0.0.1:" + server.port())) {
            RawHttp http = new RawHttp("http://127.0.0.1:" + server.port());
            Run r1 = client.getRun(R1);
            assertEquals("1", r1.getInfo().getExperimentId());
            assertEquals("alpha", r1.getInfo().getRunName());
            assertEquals("FINISHED", r1.getInfo().getStatus().name());
            assertEquals(1_700_000_100_000L, r1.getInfo().getStartTime());
            assertEquals("mlflow-artifacts:/1/" + R1 + "/artifacts", r1.getInfo().getArtifactUri());
            Map<String, String> params = new HashMap<>();
            r1.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
            assertEquals(Map.of("lr", "0.01", "epochs", "3"), params);
            Map<String, String> tags = new HashMap<>();
            r1.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
            assertEquals("final", tags.get("stage"));
            assertEquals("alpha", tags.get("mlflow.runName"));
            Map<String, Double> latest = new HashMap<>();
            r1.getData().getMetricsList().forEach(m -> latest.put(m.getKey(), m.getValue()));
            assertEquals(1.0 / 1500, latest.get("loss"), 1e-12);
            assertEquals(0.99, latest.get("acc"), 1e-12);

            List<Metric> loss = client.getMetricHistory(R1, "loss");
            assertEquals(1500, loss.size());
            for (Metric m : loss) {
                assertEquals(1.0 / (m.getStep() + 1), m.getValue(), 1e-12);
                assertEquals(1_700_000_100_000L + m.getStep() * 10, m.getTimestamp());
            }
            assertTrue(Double.isNaN(client.getMetricHistory(R1, "acc").stream().filter(m -> m.getStep() == 50)
                    .findFirst().orElseThrow().getValue()));
            // the history's MLflow 3 fields come from the logged model's metric
            JsonNode accPoint = null;
            for (JsonNode m : http.history(R1, "acc")) {
                if (m.get("step").asLong() == 99) {
                    accPoint = m;
                }
            }
            assertEquals(MODEL_ID, accPoint.get("model_id").asText());
            assertEquals("imdb", accPoint.get("dataset_name").asText());

            // charts: the block summaries were built as for logged points
            JsonNode chart = http.get("metrics/get-history-bulk-interval", "run_ids", R1, "metric_key", "loss",
                    "max_results", "100").ok();
            assertTrue(chart.get("metrics").size() >= 50 && chart.get("metrics").size() <= 1500, chart.toString());
            // search over imported metrics and params
            JsonNode found = http.post("runs/search", Map.of("experiment_ids", List.of("1", "2"),
                    "filter", "metrics.loss < 0.5 and params.lr = '0.01'", "run_view_type", "ALL")).ok();
            assertEquals(1, found.get("runs").size());
            assertEquals(R1, found.get("runs").get(0).get("info").get("run_id").asText());
            // the deleted run stays deleted, with its history
            JsonNode r2 = http.run(R2);
            assertEquals("deleted", r2.get("info").get("lifecycle_stage").asText());
            assertEquals(10, http.history(R2, "loss").size());
            // dataset inputs
            JsonNode inputs = http.run(R1).get("inputs").get("dataset_inputs");
            assertEquals("imdb", inputs.get(0).get("dataset").get("name").asText());
            assertEquals("training", inputs.get(0).get("tags").get(0).get("value").asText());
            assertEquals(MODEL_ID, http.run(R1).get("outputs").get("model_outputs").get(0).get("model_id").asText());

            // artifacts, also of the run whose store had no proxy
            assertEquals("w".repeat(10_000), http.send("GET",
                    "/api/2.0/mlflow-artifacts/artifacts/1/" + R1 + "/artifacts/model/weights.bin", null).body());
            JsonNode listed = http.get("artifacts/list", "run_id", R1, "path", "model").ok();
            assertEquals(2, listed.get("files").size());
            Run r3 = client.getRun(R3);
            assertEquals("mlflow-artifacts:/2/" + R3 + "/artifacts", r3.getInfo().getArtifactUri());
            assertEquals("mlflow-artifacts:/2", client.getExperiment("2").getArtifactLocation());

            // models:/sentiment@champion resolves as the MLflow client resolves it
            JsonNode champion = http.get("registered-models/alias", "name", "sentiment", "alias", "champion").ok();
            assertEquals("1", champion.get("model_version").get("version").asText());
            String uri = http.get("model-versions/get-download-uri", "name", "sentiment", "version", "1").ok()
                    .get("artifact_uri").asText();
            assertEquals("mlflow-artifacts:/1/" + R1 + "/artifacts/model", uri);
            assertTrue(http.send("GET", "/api/2.0/mlflow-artifacts/artifacts/" + uri.substring("mlflow-artifacts:/".length())
                    + "/MLmodel", null).body().contains("run_id: " + R1));
            String challenger = http.get("model-versions/get-download-uri", "name", "sentiment", "version", "3").ok()
                    .get("artifact_uri").asText();
            assertEquals("mlflow-artifacts:/2/" + R3 + "/artifacts/model", challenger);
            assertEquals("Staging", http.get("model-versions/get", "name", "sentiment", "version", "3").ok()
                    .get("model_version").get("current_stage").asText());
            http.get("model-versions/get", "name", "sentiment", "version", "2").error(404, "RESOURCE_DOES_NOT_EXIST");
            // a new version never reuses the deleted version's number
            JsonNode created = http.post("model-versions/create", Map.of("name", "sentiment",
                    "source", "mlflow-artifacts:/1/" + R1 + "/artifacts/model", "run_id", R1)).ok();
            assertEquals("4", created.get("model_version").get("version").asText());
            // the logged model
            JsonNode model = http.get("logged-models/" + MODEL_ID).ok().get("model");
            assertEquals("classifier", model.get("info").get("name").asText());
            assertEquals("LOGGED_MODEL_READY", model.get("info").get("status").asText());
        }

        Tally second = importInto(data, mlflowDb);
        assertEquals(0, second.totalAdded(), "a second import adds nothing: " + second.lines());
        assertEquals(3, second.present("runs"));
        assertEquals(1615, second.present("metric points"));
        assertEquals(5, second.present("artifact files"));
    }

    @Test
    void anMlflow2DatabaseImportsWithoutTheLoggedModelTables() throws Exception {
        Path mlflowDb = mlflowDatabase(false);
        Tally t = importInto(tmp.resolve("data2"), mlflowDb);
        assertEquals(3, t.added("runs"));
        assertEquals(0, t.added("logged models"));
        assertEquals(2, t.added("aliases"));
    }

    @Test
    void anExperimentIdHeldByAnotherExperimentStopsTheImportWithOneMessage() throws Exception {
        Path mlflowDb = mlflowDatabase(false);
        Path data = tmp.resolve("data3");
        ServerConfig cfg = store(data);
        try (Database db = Database.open(cfg.backendStoreUri())) {
            db.write(h -> h.execute("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,"
                    + " creation_time, last_update_time) VALUES (1, 'something-else', 'mlflow-artifacts:/1', 'active', 0, 0)"));
        }
        LabbookException e = assertThrows(LabbookException.class, () -> importInto(data, mlflowDb));
        assertTrue(e.getMessage().contains("Experiment id 1 is 'imdb' in MLflow but 'something-else'"), e.getMessage());
        assertFalse(Files.exists(Path.of(cfg.artifactsDestination().toString(), "1", R1)), "nothing of the run was copied");
    }

    @Test
    void aParamThatDiffersFromTheImportedOneStopsTheReimport() throws Exception {
        Path mlflowDb = mlflowDatabase(false);
        Path data = tmp.resolve("data4");
        importInto(data, mlflowDb);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + mlflowDb); var st = c.createStatement()) {
            st.executeUpdate("UPDATE params SET value = '0.5' WHERE key = 'lr' AND run_uuid = '" + R1 + "'");
        }
        LabbookException e = assertThrows(LabbookException.class, () -> importInto(data, mlflowDb));
        assertEquals("Run " + R1 + " has param 'lr' = '0.5' in MLflow but '0.01' in the Labbook store", e.getMessage());
    }
}
