package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.train.model.NbLrModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring server on port 0 with a real model trained on the UCI sentences: every input format and error. */
class ScoringServerTest {
    @TempDir
    static Path dir;
    static NbLrModel trained;
    static ModelService service;
    static int port;
    static final List<String> TEXTS = List.of("A wonderful, moving film. Brilliant acting!", "Terrible food, rude staff, never again.",
            "It was \"fine\", I guess, nothing more", "Le café était très bon ☕");

    @BeforeAll
    static void serve() {
        Path model = dir.resolve("model");
        trained = TestModels.train(1.0, model);
        service = ModelService.start(ModelUri.parse(model.toString()), new ModelResolver(null, new ModelCache(dir.resolve("cache"))),
                ServingOptions.defaults("127.0.0.1", 0).withWorkers(2).withMaxBodyBytes(64 * 1024), null);
        port = service.port();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** Asserts an answer holds one prediction per text, equal to the model's own scores. */
    static void assertPredictions(Http.Answer a, List<String> texts) {
        assertEquals(200, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/json"));
        JsonNode p = a.json().get("predictions");
        assertEquals(texts.size(), p.size());
        for (int i = 0; i < texts.size(); i++) {
            double expected = trained.score(texts.get(i));
            assertEquals(expected, p.get(i).get("score").asDouble(), 0.0, texts.get(i));
            assertEquals(expected >= 0.5 ? "positive" : "negative", p.get(i).get("label").asText());
        }
    }

    @Test
    void pingHealthAndVersion() throws Exception {
        assertEquals(200, Http.get(port, "/ping").status());
        assertEquals(200, Http.get(port, "/health").status());
        Http.Answer v = Http.get(port, "/version");
        assertEquals(200, v.status());
        assertEquals("nblr", v.json().get("flavor").asText());
        assertTrue(v.json().get("loaded").asBoolean());
        assertEquals(dir.resolve("model").toString(), v.json().get("model_uri").asText());
        Http.Answer unknown = Http.get(port, "/nope");
        assertEquals(404, unknown.status());
        assertEquals("ENDPOINT_NOT_FOUND", unknown.json().get("error_code").asText());
        // a request Jetty itself rejects (an illegal escape in the path) still gets MLflow's JSON
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /ping%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String raw = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(raw.startsWith("HTTP/1.1 400") && raw.contains("\"error_code\":\"BAD_REQUEST\""), raw);
        }
    }

    @Test
    void healthIsUnavailableUntilAModelIsInstalled() throws Exception {
        try (ScoringServer s = ScoringServer.start(ServingOptions.defaults("127.0.0.1", 0))) {
            assertEquals(503, Http.get(s.port(), "/health").status());
            Http.Answer early = Http.json(s.port(), Map.of("inputs", List.of("good")));
            assertEquals(503, early.status());
            assertEquals("TEMPORARILY_UNAVAILABLE", early.json().get("error_code").asText());
            s.install(service.server().current().orElseThrow());
            assertEquals(200, Http.get(s.port(), "/health").status());
            assertPredictions(Http.json(s.port(), Map.of("inputs", List.of("good"))), List.of("good"));
        }
    }

    @Test
    void everyJsonFormatScoresLikeTheModel() throws Exception {
        List<List<String>> split = TEXTS.stream().map(t -> List.of("id-" + t.length(), t)).toList();
        assertPredictions(Http.json(port, Map.of("dataframe_split", Map.of("columns", List.of("id", "text"), "data", split))), TEXTS);
        assertPredictions(Http.json(port, Map.of("dataframe_split", Map.of("index", List.of(0, 1, 2, 3), "columns", List.of("text"),
                "data", TEXTS.stream().map(List::of).toList()))), TEXTS);
        assertPredictions(Http.json(port, Map.of("dataframe_records", TEXTS.stream().map(t -> Map.of("text", t, "other", 1)).toList())), TEXTS);
        assertPredictions(Http.json(port, Map.of("instances", TEXTS)), TEXTS);
        assertPredictions(Http.json(port, Map.of("instances", TEXTS.stream().map(t -> Map.of("text", t)).toList())), TEXTS);
        assertPredictions(Http.json(port, Map.of("inputs", TEXTS)), TEXTS);
        assertPredictions(Http.json(port, Map.of("inputs", Map.of("text", TEXTS))), TEXTS);
        assertPredictions(Http.json(port, Map.of("inputs", TEXTS.get(0))), List.of(TEXTS.get(0)));
        assertPredictions(Http.json(port, Map.of("inputs", TEXTS, "params", Map.of("threshold", 0.5))), TEXTS);
        assertPredictions(Http.post(port, "application/json; charset=UTF-8", "{\"inputs\": []}"), List.of());
        // the data set's own test sentences, as a client batch
        List<String> many = TestModels.texts(200);
        assertPredictions(Http.json(port, Map.of("inputs", many)), many);
    }

    @Test
    void csvWithAHeaderRow() throws Exception {
        StringBuilder csv = new StringBuilder("id,text\r\n");
        for (int i = 0; i < TEXTS.size(); i++) {
            csv.append(i).append(',').append(CsvRecords.quote(TEXTS.get(i))).append("\r\n");
        }
        assertPredictions(Http.post(port, "text/csv", csv.toString()), TEXTS);
        assertPredictions(Http.post(port, "text/csv; charset=utf-8", "text\n\"multi\nline, quoted\"\n"), List.of("multi\nline, quoted"));
    }

    @Test
    void malformedBodiesAreBadRequests() throws Exception {
        assertError(Http.post(port, "application/json", "{\"inputs\": [\"a\""), 400, "BAD_REQUEST", "Failed to parse input from JSON");
        assertError(Http.post(port, "application/json", ""), 400, "BAD_REQUEST", "exactly one of the input fields");
        assertError(Http.post(port, "application/json", "[\"a\"]"), 400, "BAD_REQUEST", "Received a list");
        assertError(Http.post(port, "application/json", "\"a\""), 400, "BAD_REQUEST", "exactly one of the input fields");
        assertError(Http.json(port, Map.of("text", List.of("a"))), 400, "BAD_REQUEST", "Received dictionary with input fields: ['text']");
        assertError(Http.json(port, Map.of("inputs", List.of("a"), "instances", List.of("b"))), 400, "BAD_REQUEST", "exactly one");
        assertError(Http.json(port, Map.of("inputs", List.of("a"), "params", List.of(1))), 400, "BAD_REQUEST", "'params'");
        assertError(Http.json(port, Map.of("dataframe_split", List.of("a"))), 400, "BAD_REQUEST", "dataframe_split");
        assertError(Http.json(port, Map.of("dataframe_split", Map.of("columns", List.of("text"), "data", List.of(List.of("a", "b"))))),
                400, "BAD_REQUEST", "one per column");
        assertError(Http.json(port, Map.of("dataframe_records", Map.of("text", "a"))), 400, "BAD_REQUEST", "list of dictionaries");
        assertError(Http.post(port, "text/csv", ""), 400, "BAD_REQUEST", "No columns");
        assertError(Http.post(port, "text/csv", "text\n\"never closed\n"), 400, "BAD_REQUEST", "never closed");
        assertError(Http.post(port, "text/csv", new byte[] {'t', 'e', 'x', 't', '\n', (byte) 0xC3, (byte) 0x28}), 400, "BAD_REQUEST",
                "UTF-8");
        assertError(Http.post(port, "application/json", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}), 400,
                "BAD_REQUEST", "Failed to parse input from JSON");
        assertServerStillAnswers();
    }

    @Test
    void inputsAgainstTheSignatureAreInvalidParameterValues() throws Exception {
        assertError(Http.json(port, Map.of("dataframe_split", Map.of("columns", List.of("review"), "data", List.of(List.of("a"))))),
                400, "INVALID_PARAMETER_VALUE", "Model is missing inputs ['text']");
        assertError(Http.json(port, Map.of("dataframe_records", List.of(Map.of("text", "a"), Map.of("review", "b")))),
                400, "INVALID_PARAMETER_VALUE", "Model is missing inputs ['text']");
        assertError(Http.post(port, "text/csv", "review\nhello\n"), 400, "INVALID_PARAMETER_VALUE", "Model is missing inputs ['text']");
        assertError(Http.json(port, Map.of("inputs", Map.of("review", List.of("a")))), 400, "INVALID_PARAMETER_VALUE", "missing inputs");
        assertError(Http.json(port, Map.of("dataframe_records", List.of(Map.of("text", 3)))), 400, "INVALID_PARAMETER_VALUE",
                "Incompatible input types for column text. Can not safely convert int64 to string");
        assertError(Http.json(port, Map.of("inputs", List.of(1.5, "a"))), 400, "INVALID_PARAMETER_VALUE", "float64");
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertError(Http.json(port, Map.of("dataframe_split", Map.of("columns", List.of("text"), "data", List.of(withNull)))), 400,
                "INVALID_PARAMETER_VALUE", "null");
        assertError(Http.json(port, Map.of("instances", 3)), 400, "INVALID_PARAMETER_VALUE", "int64");
        assertServerStillAnswers();
    }

    @Test
    void otherContentTypesAndCharsetsAre415() throws Exception {
        Http.Answer plain = Http.post(port, "text/plain", "good");
        assertEquals(415, plain.status());
        assertTrue(plain.body().contains("only supports the following content types"), plain.body());
        assertEquals(415, Http.post(port, null, "{\"inputs\":[\"a\"]}").status());
        Http.Answer latin = Http.post(port, "application/json; charset=ISO-8859-1", "{\"inputs\":[\"a\"]}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(415, latin.status());
        assertTrue(latin.body().contains("only supports UTF-8"), latin.body());
        Http.Answer format = Http.post(port, "application/json; format=pandas-split", "{\"inputs\":[\"a\"]}");
        assertEquals(415, format.status());
        assertTrue(format.body().contains("Unrecognized content type parameters: format"), format.body());
        assertServerStillAnswers();
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        String big = "x".repeat(70 * 1024);
        Http.Answer a = Http.json(port, Map.of("inputs", List.of(big)));
        assertError(a, 413, "REQUEST_LIMIT_EXCEEDED", "larger than the limit of 65536 bytes");
        assertServerStillAnswers();
    }

    @Test
    void aPredictionPastTheTimeoutIs504() throws Exception {
        try (ScoringServer s = ScoringServer.start(ServingOptions.defaults("127.0.0.1", 0).withWorkers(1)
                .withTimeout(Duration.ofMillis(1)))) {
            s.install(service.server().current().orElseThrow());
            String review = String.join(" ", TestModels.texts(100));
            List<String> rows = java.util.Collections.nCopies(400, review);
            Http.Answer a = Http.json(s.port(), Map.of("inputs", rows));
            assertError(a, 504, "DEADLINE_EXCEEDED", "longer than the timeout");
            // the cancelled scoring stops; the pool's one worker is free for the next request
            Http.Answer small = Http.json(s.port(), Map.of("inputs", List.of("x")));
            assertTrue(small.status() == 200 || small.status() == 504, small.body());
        }
        assertServerStillAnswers();
    }

    @Test
    void theAnswerNamesTheModelThatGaveIt() throws Exception {
        Http.Answer a = Http.json(port, Map.of("inputs", List.of("good")));
        assertNotNull(a.modelVersion());
        assertEquals(dir.resolve("model").toString(), a.modelVersion());
    }

    static void assertError(Http.Answer a, int status, String code, String message) {
        assertEquals(status, a.status(), a.body());
        JsonNode j = a.json();
        assertEquals(code, j.get("error_code").asText(), a.body());
        assertTrue(j.get("message").asText().contains(message), a.body());
        assertFalse(a.body().contains("\tat "), "no stack trace: " + a.body());
    }

    private static void assertServerStillAnswers() throws Exception {
        assertPredictions(Http.json(port, Map.of("inputs", TEXTS)), TEXTS);
    }
}
