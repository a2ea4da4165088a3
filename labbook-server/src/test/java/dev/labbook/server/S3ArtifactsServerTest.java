package dev.labbook.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.store.artifact.ArtifactStores;
import dev.labbook.store.artifact.s3.GeneratedStream;
import dev.labbook.store.artifact.s3.RequestLog;
import dev.labbook.store.artifact.s3.S3ArtifactStore;
import dev.labbook.store.artifact.s3.S3Clients;
import dev.labbook.store.artifact.s3.S3Location;
import dev.labbook.store.artifact.s3.S3TestServer;
import dev.labbook.store.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real server on port 0 whose artifact destination is {@code s3://BUCKET/PREFIX} on a real S3
 * API (s3proxy), driven with the artifact proxy calls MLflow's Python client makes (PUT, GET,
 * HEAD, the {@code ?path=} listing, DELETE) and with the official MLflow Java client where it
 * talks HTTP (experiments, runs, the registry's download URI). For an {@code mlflow-artifacts:}
 * root that client shells out to Python for every artifact call (log, list, download), so those
 * are made here as the Python client makes them.
 */
class S3ArtifactsServerTest {
    static final String BUCKET = "labbook-artifacts";
    static final String PREFIX = "team/mlartifacts";
    static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    @TempDir
    static Path tmp;
    static S3TestServer s3;
    static S3Client raw;
    static final RequestLog requests = new RequestLog();
    static LabbookServer server;
    static RawHttp http;
    static MlflowClient mlflow;
    static final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3TestServer.start(tmp.resolve("s3"));
        s3.createBucket(BUCKET);
        raw = s3.client();
        String destination = "s3://" + BUCKET + "/" + PREFIX;
        S3Client client = S3Clients.builder(s3.settings())
                .overrideConfiguration(c -> c.addExecutionInterceptor(requests)).build();
        server = LabbookServer.start(new ServerConfig("127.0.0.1", 0, sqlite("t.db"), destination),
                new S3ArtifactStore(client, S3Location.parse(destination), S3ArtifactStore.Options.DEFAULT));
        http = new RawHttp(base(server));
        mlflow = new MlflowClient(base(server));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (mlflow != null) {
                mlflow.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                if (raw != null) {
                    raw.close();
                }
            } finally {
                if (s3 != null) {
                    s3.close();
                }
            }
        }
    }

    @Test
    void theProxyKeepsRunArtifactsInTheBucket() throws Exception {
        String exp = http.createExperiment("s3-proxy");
        String runId = http.createRun(exp, "r");
        assertEquals("mlflow-artifacts:/" + exp + "/" + runId + "/artifacts", http.run(runId).at("/info/artifact_uri").asText());
        String dir = exp + "/" + runId + "/artifacts";
        byte[] weights = new byte[300_000];
        new Random(3).nextBytes(weights);
        assertEquals(200, put(PROXY + "/" + dir + "/model/MLmodel", "flavors: {}\n".getBytes(UTF_8)).statusCode());
        assertEquals(200, put(PROXY + "/" + dir + "/model/data/weights.bin", weights).statusCode());
        assertEquals(200, put(PROXY + "/" + dir + "/metrics.json", "{\"acc\": 0.9}".getBytes(UTF_8)).statusCode());

        HttpResponse<byte[]> got = get(PROXY + "/" + dir + "/model/data/weights.bin");
        assertEquals(200, got.statusCode());
        assertArrayEquals(weights, got.body());
        assertEquals("300000", got.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<byte[]> head = jdk.send(HttpRequest.newBuilder(uri(PROXY + "/" + dir + "/model/data/weights.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals("300000", head.headers().firstValue("Content-Length").orElseThrow());

        // the proxy's listing, as MlflowArtifactsRepository.list_artifacts asks for it
        JsonNode top = http.send("GET", PROXY + "?path=" + q(dir), null).ok();
        assertEquals(RawHttp.JSON.readTree("{\"files\": [{\"path\": \"metrics.json\", \"is_dir\": false, \"file_size\": 12},"
                + " {\"path\": \"model\", \"is_dir\": true}]}"), top);
        JsonNode model = http.send("GET", PROXY + "?path=" + q(dir + "/model/"), null).ok();
        assertEquals(List.of("MLmodel", "data"), paths(model.get("files")));
        assertEquals(List.of(PREFIX + "/" + dir + "/metrics.json", PREFIX + "/" + dir + "/model/MLmodel",
                PREFIX + "/" + dir + "/model/data/weights.bin"), keys(PREFIX + "/" + dir + "/"));

        // the tracking API's views of the same files
        JsonNode listed = http.get("artifacts/list", "run_id", runId, "path", "model").ok();
        assertEquals("mlflow-artifacts:/" + dir, listed.get("root_uri").asText());
        assertEquals(List.of("model/MLmodel", "model/data"), paths(listed.get("files")));
        assertEquals("flavors: {}\n", new String(get("/get-artifact?run_id=" + runId + "&path=model/MLmodel").body(), UTF_8));

        // a recursive delete
        assertEquals(200, delete(PROXY + "/" + dir + "/model").statusCode());
        assertEquals(List.of("metrics.json"), paths(http.send("GET", PROXY + "?path=" + q(dir), null).ok().get("files")));
        assertEquals(List.of(PREFIX + "/" + dir + "/metrics.json"), keys(PREFIX + "/" + dir + "/"));
        http.send("GET", PROXY + "/" + dir + "/model/MLmodel", null).error(404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void theMlflowJavaClientsRunsAndRegistryResolveToWhatTheProxyStored() throws Exception {
        String exp = mlflow.createExperiment("s3-java-client");
        RunInfo run = mlflow.createRun(exp);
        String dir = run.getArtifactUri().substring("mlflow-artifacts:/".length());
        assertEquals(200, put(PROXY + "/" + dir + "/model/MLmodel", "artifact_path: model\n".getBytes(UTF_8)).statusCode());
        assertEquals(200, put(PROXY + "/" + dir + "/model/model.onnx", new byte[2048]).statusCode());
        assertEquals(200, put(PROXY + "/" + dir + "/notes.txt", "hello".getBytes(UTF_8)).statusCode());

        // MlflowClient.listArtifacts shells out to Python for an mlflow-artifacts: root; this is
        // the artifacts/list call that Python makes for it
        JsonNode top = http.get("artifacts/list", "run_id", run.getRunId()).ok();
        assertEquals(RawHttp.JSON.readTree("[{\"path\": \"model\", \"is_dir\": true},"
                + " {\"path\": \"notes.txt\", \"is_dir\": false, \"file_size\": 5}]"), top.get("files"));
        assertEquals(List.of("model/MLmodel", "model/model.onnx"),
                paths(http.get("artifacts/list", "run_id", run.getRunId(), "path", "model").ok().get("files")));

        http.post("registered-models/create", Map.of("name", "s3-model")).ok();
        http.post("model-versions/create", Map.of("name", "s3-model", "source", run.getArtifactUri() + "/model",
                "run_id", run.getRunId())).ok();
        String download = mlflow.getModelVersionDownloadUri("s3-model", "1");
        assertEquals(run.getArtifactUri() + "/model", download);
        String modelDir = URI.create(download).getPath();
        assertEquals("artifact_path: model\n", new String(get(PROXY + modelDir + "/MLmodel").body(), UTF_8));
    }

    @Test
    void aLargeUploadStreamsThroughTheServerAsAMultipartUpload() throws Exception {
        String runId = http.createRun(http.createExperiment("s3-large"), "big");
        String path = PROXY + "/" + http.run(runId).at("/info/artifact_uri").asText().substring("mlflow-artifacts:/".length())
                + "/checkpoint.bin";
        long size = 40L << 20;
        GeneratedStream body = new GeneratedStream(size, 11);
        requests.clear();
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(uri(path))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(5, requests.count("UploadPart"), "40 MiB in parts of 8 MiB");
        HttpResponse<InputStream> down = jdk.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        try (InputStream in = down.body()) {
            GeneratedStream.Digest d = GeneratedStream.digestOf(in);
            assertEquals(size, d.length());
            assertEquals(body.sha256(), d.sha256());
        }
    }

    @Test
    void multipartUploadsGoStraightToTheBucketThroughPresignedPartUrls() throws Exception {
        String runId = http.createRun(http.createExperiment("s3-mpu"), "mpu");
        String dir = exp(runId);
        String mpu = "/api/2.0/mlflow-artifacts/mpu/";
        // what HttpArtifactRepository sends with MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true
        JsonNode created = http.send("POST", mpu + "create/" + dir + "/data",
                "{\"path\": \"/home/u/big.bin\", \"num_parts\": 3}").ok();
        String uploadId = created.get("upload_id").asText();
        assertEquals(3, created.get("credentials").size());
        Random random = new Random(9);
        byte[][] parts = {new byte[5 << 20], new byte[5 << 20], new byte[1 << 20]};
        List<Map<String, Object>> done = new ArrayList<>();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 3; i++) {
            JsonNode c = created.get("credentials").get(i);
            assertEquals(i + 1, c.get("part_number").asInt());
            String url = c.get("url").asText();
            assertTrue(url.startsWith(s3.endpoint() + "/" + BUCKET + "/" + PREFIX + "/" + dir + "/data/big.bin?"), url);
            random.nextBytes(parts[i]);
            sha.update(parts[i]);
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(url))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[i])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            done.add(Map.of("part_number", i + 1, "etag", r.headers().firstValue("ETag").orElseThrow(), "url", url));
        }
        assertEquals(List.of(), keys(PREFIX + "/" + dir + "/"), "no object before the upload is completed");
        http.send("POST", mpu + "complete/" + dir + "/data", RawHttp.write(Map.of("path", "/home/u/big.bin",
                "upload_id", uploadId, "parts", done))).ok();
        HttpResponse<InputStream> down = jdk.send(HttpRequest.newBuilder(uri(PROXY + "/" + dir + "/data/big.bin")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = down.body()) {
            GeneratedStream.Digest d = GeneratedStream.digestOf(in);
            assertEquals(11L << 20, d.length());
            assertEquals(java.util.HexFormat.of().formatHex(sha.digest()), d.sha256());
        }

        // an aborted upload leaves nothing, and cannot be completed afterwards
        String aborted = http.send("POST", mpu + "create/" + dir, "{\"path\": \"gone.bin\", \"num_parts\": 1}")
                .ok().get("upload_id").asText();
        http.send("POST", mpu + "abort/" + dir, RawHttp.write(Map.of("path", "gone.bin", "upload_id", aborted))).ok();
        http.send("POST", mpu + "complete/" + dir, RawHttp.write(Map.of("path", "gone.bin", "upload_id", aborted,
                "parts", List.of(Map.of("part_number", 1, "etag", "\"x\""))))).error(404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals(List.of(), raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads());
        assertEquals(List.of(PREFIX + "/" + dir + "/data/big.bin"), keys(PREFIX + "/" + dir + "/"));

        // unsafe targets are refused before S3 is asked
        http.send("POST", mpu + "create/%2e%2e/%2e%2e", "{\"path\": \"x\", \"num_parts\": 1}").error(400, "INVALID_PARAMETER_VALUE");
        http.send("POST", mpu + "create/" + dir, "{\"path\": \"/tmp/..\", \"num_parts\": 1}").error(400, "INVALID_PARAMETER_VALUE");
        http.send("POST", mpu + "create/" + dir, "{\"path\": \"x\", \"num_parts\": 0}").error(400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void loggedModelFilesAndTraceSpansAreReadFromTheBucket() throws Exception {
        String exp = http.createExperiment("s3-models-traces");
        JsonNode model = http.post("logged-models", Map.of("experiment_id", exp, "name", "clf")).ok().get("model");
        String modelId = model.at("/info/model_id").asText();
        String modelDir = URI.create(model.at("/info/artifact_uri").asText()).getPath();
        assertEquals("/" + exp + "/models/" + modelId + "/artifacts", modelDir);
        assertEquals(200, put(PROXY + modelDir + "/MLmodel", "model_id: x\n".getBytes(UTF_8)).statusCode());
        JsonNode listing = http.get("logged-models/" + modelId + "/artifacts/directories").ok();
        assertEquals(List.of("MLmodel"), paths(listing.get("files")));
        assertEquals("model_id: x\n", new String(get("/api/2.0/mlflow/logged-models/" + modelId
                + "/artifacts/files?artifact_file_path=MLmodel").body(), UTF_8));

        String traceId = "tr-" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("trace_id", traceId);
        info.put("trace_location", Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", exp)));
        info.put("request_time", "2025-06-01T12:00:00.123Z");
        info.put("execution_duration", "0.250s");
        info.put("state", "OK");
        info.put("trace_metadata", Map.of("mlflow.trace_schema.version", "3"));
        info.put("tags", Map.of());
        JsonNode started = http.send("POST", "/api/3.0/mlflow/traces",
                RawHttp.write(Map.of("trace", Map.of("trace_info", info)))).ok().at("/trace/trace_info");
        String location = URI.create(started.at("/tags/mlflow.artifactLocation").asText()).getPath();
        String spans = "{\"spans\": [{\"trace_id\": \"AAECAwQFBgcICQoLDA0ODw==\", \"span_id\": \"AQIDBAUGBwg=\", "
                + "\"parent_span_id\": \"\", \"name\": \"answer\", \"start_time_unix_nano\": 1, \"end_time_unix_nano\": 2, "
                + "\"events\": [], \"status\": {\"code\": \"STATUS_CODE_OK\", \"message\": \"\"}, \"attributes\": {}}]}";
        assertEquals(200, put(PROXY + location + "/traces.json", spans.getBytes(UTF_8)).statusCode());
        assertEquals(1, keys(PREFIX + location + "/").size(), "traces.json is an object of the bucket");
        JsonNode trace = http.send("GET", "/api/3.0/mlflow/traces/get?trace_id=" + traceId, null).ok().get("trace");
        assertEquals("answer", trace.at("/spans/0/name").asText());
    }

    @Test
    void traversalIsRefusedAndNothingLeavesThePrefix() {
        for (String bad : List.of("..%2F..%2Fescape.txt", "%2e%2e/%2e%2e/escape.txt", "a/%252e%252e/%252e%252e/escape.txt",
                "a%5C..%5C..%5Cescape.txt", "%2Fetc%2Fpasswd")) {
            assertEquals("Invalid path", http.send("PUT", PROXY + "/" + bad, "evil").error(400, "INVALID_PARAMETER_VALUE"), bad);
            http.send("GET", PROXY + "/" + bad, null).error(400, "INVALID_PARAMETER_VALUE");
            http.send("DELETE", PROXY + "/" + bad, null).error(400, "INVALID_PARAMETER_VALUE");
        }
        http.send("GET", PROXY + "?path=" + q("../.."), null).error(400, "INVALID_PARAMETER_VALUE");
        for (String key : keys("")) {
            assertTrue(key.startsWith(PREFIX + "/"), key + " lies outside the store's prefix");
            assertFalse(key.contains("escape"), key);
        }
    }

    @Test
    void s3FailuresAnswerMlflowErrors() throws Exception {
        // a bucket that does not exist: the operator's mistake, named in the message
        try (LabbookServer noBucket = LabbookServer.start(new ServerConfig("127.0.0.1", 0, sqlite("nb.db"), "s3://missing-bucket/p"),
                ArtifactStores.open("s3://missing-bucket/p", env(s3.endpoint().toString())))) {
            RawHttp h = new RawHttp(base(noBucket));
            String message = h.send("PUT", PROXY + "/0/x.txt", "x").error(500, "INTERNAL_ERROR");
            assertTrue(message.contains("NoSuchBucket"), message);
            assertFalse(message.contains(S3TestServer.SECRET_KEY), message);
            h.send("GET", PROXY + "?path=0", null).error(500, "INTERNAL_ERROR");
        }
        // a store that cannot be reached: clients may retry
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (LabbookServer down = LabbookServer.start(new ServerConfig("127.0.0.1", 0, sqlite("down.db"), "s3://" + BUCKET),
                ArtifactStores.open("s3://" + BUCKET, env("http://127.0.0.1:" + closed)))) {
            RawHttp h = new RawHttp(base(down));
            String message = h.send("GET", PROXY + "/0/x.txt", null).error(503, "TEMPORARILY_UNAVAILABLE");
            assertFalse(message.contains(S3TestServer.SECRET_KEY), message);
            // and /health says which component is down
            RawHttp.Response health = h.send("GET", "/health", null);
            assertEquals(503, health.status(), health.body());
            assertEquals("UNAVAILABLE: artifact_store down", health.body().trim());
        }
        RawHttp.Response up = http.send("GET", "/health", null);
        assertEquals(200, up.status(), up.body());
        assertEquals("OK", up.body().trim());
    }

    @Test
    void aStoreOpenedFromMlflowsEnvironmentVariablesReachesTheBucket() throws Exception {
        try (LabbookServer fromEnv = LabbookServer.start(new ServerConfig("127.0.0.1", 0, sqlite("env.db"), "s3://" + BUCKET + "/env"),
                ArtifactStores.open("s3://" + BUCKET + "/env", env(s3.endpoint().toString())))) {
            RawHttp h = new RawHttp(base(fromEnv));
            h.send("PUT", PROXY + "/0/hello.txt", "hi").ok();
            assertEquals("hi", h.send("GET", PROXY + "/0/hello.txt", null).body());
            assertEquals(List.of("env/0/hello.txt"), keys("env/"));
        }
    }

    // ---- helpers ----

    /** The store path of a run's artifact root ({@code EXP/RUN/artifacts}). */
    private static String exp(String runId) {
        return http.run(runId).at("/info/artifact_uri").asText().substring("mlflow-artifacts:/".length());
    }

    /** What an MLflow server's environment holds for a MinIO-like store. */
    private static Map<String, String> env(String endpoint) {
        return Map.of("MLFLOW_S3_ENDPOINT_URL", endpoint, "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
    }

    /** A fresh backend store: a SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL. */
    private static String sqlite(String name) {
        return TestDatabases.uriFor("sqlite:///" + tmp.resolve(name).toAbsolutePath().toString().replaceFirst("^/", ""));
    }

    private static String base(LabbookServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    private static URI uri(String path) {
        return URI.create(base(server) + path);
    }

    private static HttpResponse<String> put(String path, byte[] body) throws IOException, InterruptedException {
        return jdk.send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return jdk.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return jdk.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> keys(String prefix) {
        return raw.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private static List<String> paths(JsonNode files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.get("path").asText()));
        return out;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
