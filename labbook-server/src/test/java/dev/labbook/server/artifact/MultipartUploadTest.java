package dev.labbook.server.artifact;

import static dev.labbook.server.artifact.TestServer.PROXY;
import static dev.labbook.server.artifact.TestServer.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multipart-upload routes answer as MLflow's server answers over local storage: 501
 * NOT_IMPLEMENTED with the exact message the Python client recognizes, after which the client
 * uploads with one PUT. The requests are what {@code HttpArtifactRepository.create_multipart_upload}
 * and friends send when {@code MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true}.
 */
class MultipartUploadTest {
    static final String MPU = "/api/2.0/mlflow-artifacts/mpu";

    @TempDir
    Path tmp;
    TestServer server;
    String root;

    @BeforeEach
    void start() {
        server = new TestServer(tmp);
        root = "0/" + server.createRun().path("run_id").asText() + "/artifacts";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertUnsupported(HttpResponse<String> r) {
        assertEquals(501, r.statusCode(), r.body());
        JsonNode body = json(r.body());
        assertEquals("NOT_IMPLEMENTED", body.path("error_code").asText());
        assertEquals("Multipart upload is not supported for the current artifact repository", body.path("message").asText());
    }

    @Test
    void localStorageRefusesMultipartAndTheClientFallsBackToOnePut() {
        assertUnsupported(server.postJson(MPU + "/create/" + root + "/data",
                "{\"path\": \"/home/u/big.bin\", \"num_parts\": 3}"));
        assertUnsupported(server.postJson(MPU + "/complete/" + root + "/data",
                "{\"path\": \"/home/u/big.bin\", \"upload_id\": \"u1\", \"parts\": [{\"part_number\": 1, \"etag\": \"e\"}]}"));
        assertUnsupported(server.postJson(MPU + "/abort/" + root + "/data", "{\"path\": \"/home/u/big.bin\", \"upload_id\": \"u1\"}"));
        assertUnsupported(server.postJson("/ajax-api/2.0/mlflow-artifacts/mpu/create/" + root, "{\"path\": \"big.bin\", \"num_parts\": 1}"));
        // the client's fallback
        assertEquals(200, server.put(PROXY + "/" + root + "/data/big.bin", "payload".getBytes(UTF_8)).statusCode());
        assertEquals("payload", server.get(PROXY + "/" + root + "/data/big.bin").body());
    }

    @Test
    void pathAndRequestAreCheckedFirstAsMlflowDoes() {
        TestServer.Raw traversal = server.raw("POST", MPU + "/create/%2e%2e/%2e%2e/etc", "{\"path\": \"x\", \"num_parts\": 1}".getBytes(UTF_8));
        assertEquals(400, traversal.status(), traversal.body());
        HttpResponse<String> noPath = server.postJson(MPU + "/create/" + root, "{\"num_parts\": 1}");
        assertEquals(400, noPath.statusCode(), noPath.body());
        assertEquals("Missing value for required parameter 'path'. See the API docs for more information about request parameters.",
                json(noPath.body()).path("message").asText());
        assertEquals(400, server.postJson(MPU + "/create/" + root, "{\"path\": \"x\", \"num_parts\": \"many\"}").statusCode());
        assertEquals(400, server.postJson(MPU + "/complete/" + root, "{\"path\": \"x\", \"upload_id\": \"u\"}").statusCode());
        assertEquals(404, server.postJson(MPU + "/explode/" + root, "{}").statusCode());
    }
}
