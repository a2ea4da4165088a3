package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model in MLflow's onnx flavor (the graph written in the test by {@link OnnxFixture}) served
 * on port 0 through ONNX Runtime: every input form, outputs against values computed by hand.
 */
class OnnxServingTest {
    @TempDir
    static Path dir;
    static ModelService service;
    static int port;
    static final double[][] X = {{1, 2, 3}, {0, 0, 0}, {-2, 0.5, 4}};

    @BeforeAll
    static void serve() throws Exception {
        Path model = OnnxFixture.write(dir.resolve("onnx-model"));
        service = ModelService.start(ModelUri.parse(model.toString()), new ModelResolver(null, new ModelCache(dir.resolve("cache"))),
                ServingOptions.defaults("127.0.0.1", 0).withWorkers(2), null);
        port = service.port();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** z = x . (0.5, -1, 0.25) + 0.1 in float arithmetic, as the graph computes it. */
    static double z(double[] x) {
        float z = (float) x[0] * OnnxFixture.W[0];
        z += (float) x[1] * OnnxFixture.W[1];
        z += (float) x[2] * OnnxFixture.W[2];
        return z + OnnxFixture.B;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void handComputedValues() {
        // 0.5 - 2 + 0.75 + 0.1 = -0.65; 0.1; -1 - 0.5 + 1 + 0.1 = -0.4
        assertEquals(-0.65, z(X[0]), 1e-6);
        assertEquals(0.1, z(X[1]), 1e-6);
        assertEquals(-0.4, z(X[2]), 1e-6);
    }

    /** Tensor input answers {"predictions": {"z": [[..]], "y": [[..]]}}. */
    static void assertTensorAnswer(Http.Answer a) {
        assertEquals(200, a.status(), a.body());
        JsonNode p = a.json().get("predictions");
        assertEquals(X.length, p.get("z").size(), a.body());
        for (int i = 0; i < X.length; i++) {
            assertEquals(z(X[i]), p.get("z").get(i).get(0).asDouble(), 1e-6);
            assertEquals(sigmoid(z(X[i])), p.get("y").get(i).get(0).asDouble(), 1e-6);
        }
    }

    @Test
    void tensorInputs() throws Exception {
        assertTensorAnswer(Http.json(port, Map.of("inputs", X)));
        assertTensorAnswer(Http.json(port, Map.of("instances", X)));
        assertTensorAnswer(Http.json(port, Map.of("inputs", Map.of("x", X))));
        assertTensorAnswer(Http.json(port, Map.of("instances", List.of(Map.of("x", X[0]), Map.of("x", X[1]), Map.of("x", X[2])))));
        assertTrue(Http.json(port, Map.of("inputs", X)).contentType().startsWith("application/json"));
    }

    @Test
    void dataframeInputsAnswerOneRecordPerRow() throws Exception {
        for (Http.Answer a : List.of(
                Http.json(port, Map.of("dataframe_split", Map.of("columns", List.of("a", "b", "c"), "data", X))),
                // without a column signature the columns are the records' keys in their JSON order, as pandas reads them
                Http.post(port, "application/json", "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3}, "
                        + "{\"a\": 0, \"b\": 0, \"c\": 0}, {\"a\": -2, \"b\": 0.5, \"c\": 4}]}"))) {
            assertEquals(200, a.status(), a.body());
            JsonNode p = a.json().get("predictions");
            assertEquals(X.length, p.size(), a.body());
            for (int i = 0; i < X.length; i++) {
                assertEquals(z(X[i]), p.get(i).get("z").get(0).asDouble(), 1e-6);
                assertEquals(sigmoid(z(X[i])), p.get(i).get("y").get(0).asDouble(), 1e-6);
            }
        }
    }

    @Test
    void versionNamesTheFlavor() throws Exception {
        assertEquals("onnx", Http.get(port, "/version").json().path("flavor").asText());
        assertEquals(200, Http.get(port, "/health").status());
    }

    @Test
    void wrongShapesAndTypesAreMlflowErrors() throws Exception {
        Http.Answer narrow = Http.json(port, Map.of("inputs", List.of(List.of(1, 2))));
        assertEquals(400, narrow.status());
        assertEquals("INVALID_PARAMETER_VALUE", narrow.json().path("error_code").asText());
        assertTrue(narrow.json().path("message").asText().contains("Shape of input (1, 2) does not match expected shape (-1, 3)"),
                narrow.body());
        Http.Answer text = Http.json(port, Map.of("inputs", List.of(List.of("a", "b", "c"))));
        assertEquals(400, text.status());
        assertEquals("INVALID_PARAMETER_VALUE", text.json().path("error_code").asText());
        Http.Answer ragged = Http.post(port, "application/json", "{\"inputs\": [[1, 2, 3], [4, 5]]}");
        assertEquals(400, ragged.status(), ragged.body());
        assertEquals("BAD_REQUEST", ragged.json().path("error_code").asText());
        Http.Answer missing = Http.json(port, Map.of("inputs", Map.of("w", X)));
        assertEquals(400, missing.status());
        assertTrue(missing.json().path("message").asText().contains("missing inputs ['x']"), missing.body());
        Http.Answer csv = Http.post(port, "text/csv", "a,b,c\n1,2,3\n");
        assertEquals(400, csv.status());
        Http.Answer both = Http.post(port, "application/json", "{\"inputs\": [[1,2,3]], \"instances\": [[1,2,3]]}");
        assertEquals(400, both.status());
        // the server is still up and right
        assertTensorAnswer(Http.json(port, Map.of("inputs", X)));
    }
}
