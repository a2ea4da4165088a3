package dev.labbook.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Traces view in a real browser: traces logged as an MLflow 3 client logs them (StartTraceV3,
 * then traces.json through the artifact proxy), listed per experiment, one opened to its span tree.
 */
class TracesBrowserTest extends BrowserTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "tr-0000000000000000000000000000a001";
    private static final String BROKEN = "tr-0000000000000000000000000000a002";
    private static final String BARE = "tr-0000000000000000000000000000a003";

    static String experimentId;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        startServer();
        experimentId = send("POST", "/api/2.0/mlflow/experiments/create", "{\"name\": \"agent-traces\"}")
                .get("experiment_id").asText();
        logTrace(ANSWER, "answer", "2025-06-01T12:00:00.000Z", "0.900s", "OK", List.of(
                span("AQAAAAAAAAA=", "", "answer", "CHAIN", 0, 900, "{\"question\": \"What is 2 + 2?\"}", "\"2 + 2 is 4.\"", false),
                span("AgAAAAAAAAA=", "AQAAAAAAAAA=", "retrieve", "RETRIEVER", 20, 220, "{\"query\": \"2 + 2\"}", "[\"arithmetic.md\"]", false),
                span("AwAAAAAAAAA=", "AQAAAAAAAAA=", "llm", "LLM", 240, 880, "{\"prompt\": \"Answer: 2 + 2\"}", "\"2 + 2 is 4.\"", false)));
        logTrace(BROKEN, "lookup", "2025-06-01T12:01:00.000Z", "0.120s", "ERROR", List.of(
                span("BAAAAAAAAAA=", "", "lookup", "TOOL", 0, 120, "{\"id\": 7}", "null", true)));
        logTrace(BARE, "bare", "2025-06-01T11:59:00.000Z", "0.010s", "OK", null);
        openBrowser();
    }



    /** What the client sends: StartTraceV3, then (when there are spans) traces.json to the location answered. */
    private static void logTrace(String traceId, String name, String requestTime, String duration, String state,
            List<Map<String, Object>> spans) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("trace_id", traceId);
        info.put("trace_location", Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", experimentId)));
        info.put("request_preview", spans == null ? "{}" : spans.get(0).get("inputs"));
        info.put("request_time", requestTime);
        info.put("execution_duration", duration);
        info.put("state", state);
        info.put("trace_metadata", Map.of("mlflow.trace_schema.version", "3"));
        info.put("tags", Map.of("mlflow.traceName", name));
        JsonNode stored = send("POST", "/api/3.0/mlflow/traces", write(Map.of("trace", Map.of("trace_info", info))));
        if (spans == null) {
            return;
        }
        String location = stored.at("/trace/trace_info/tags/mlflow.artifactLocation").asText();
        String path = URI.create(location).getPath();
        long startNs = java.time.Instant.parse(requestTime).toEpochMilli() * 1_000_000L;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : spans) {
            Map<String, Object> span = new LinkedHashMap<>(s);
            span.put("trace_id", "AAAAAAAAAAAAAAAAAAAAAA==");
            span.put("start_time_unix_nano", startNs + (Integer) s.remove("startMs") * 1_000_000L);
            span.put("end_time_unix_nano", startNs + (Integer) s.remove("endMs") * 1_000_000L);
            span.remove("startMs");
            span.remove("endMs");
            span.remove("inputs");
            out.add(span);
        }
        send("PUT", "/api/2.0/mlflow-artifacts/artifacts" + path + "/traces.json", write(Map.of("spans", out)));
    }

    private static Map<String, Object> span(String id, String parent, String name, String type, int startMs, int endMs,
            String inputs, String outputs, boolean error) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("span_id", id);
        s.put("parent_span_id", parent);
        s.put("name", name);
        s.put("startMs", startMs);
        s.put("endMs", endMs);
        s.put("inputs", inputs);
        s.put("events", List.of());
        s.put("status", Map.of("code", error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK", "message", error ? "not found" : ""));
        s.put("attributes", Map.of("mlflow.spanType", "\"" + type + "\"", "mlflow.spanInputs", inputs, "mlflow.spanOutputs", outputs));
        return s;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode send(String method, String path, String body) {
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
            }
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(String css) {
        return browser.all(css).stream().map(WebElement::getText).collect(Collectors.toList());
    }

    @Test
    void theTracesViewListsTracesAndRendersASpanTree() {
        // from the runs page, as a user finds it
        browser.open("/experiments/" + experimentId);
        browser.waitFor("nav.subnav a[data-section='traces']").click();
        browser.waitUntil("document.querySelectorAll('tr.trace-row').length === 3");
        assertEquals("page", browser.waitFor("nav.subnav a[data-section='traces']").getAttribute("aria-current"));
        // newest first, with name, duration and status
        assertEquals(List.of("lookup", "answer", "bare"),
                browser.all("tr.trace-row").stream().map(r -> r.findElements(By.tagName("td")).get(1).getText()).toList());
        List<WebElement> first = browser.all("tr.trace-row").get(0).findElements(By.tagName("td"));
        assertEquals("ERROR", first.get(3).getText());
        assertEquals("120 ms", first.get(2).getText());
        assertTrue(browser.all("button.btn.small").stream().noneMatch(b -> b.getText().equals("Load more") && b.isDisplayed()));

        // open the answer trace: its span tree, children under the root, ordered by start
        browser.all("tr.trace-row").get(1).findElement(By.tagName("a")).click();
        browser.waitUntil("document.querySelectorAll('.span-row').length === 3");
        assertTrue(browser.driver.getCurrentUrl().endsWith("?trace=" + ANSWER), browser.driver.getCurrentUrl());
        assertEquals(List.of("CHAIN answer", "RETRIEVER retrieve", "LLM llm"), texts(".span-row .span-name"));
        assertEquals(List.of("900 ms", "200 ms", "640 ms"), texts(".span-row .span-time"));
        List<String> indents = browser.all(".span-row .span-name").stream().map(e -> e.getCssValue("padding-left")).toList();
        assertEquals(List.of("0px", "16px", "16px"), indents);
        // the bars are placed on the trace's timeline: llm starts at 240 of 900 ms
        Number left = (Number) browser.js("return parseFloat(document.querySelectorAll('.span-bar')[2].style.left)");
        assertEquals(240.0 / 900 * 100, left.doubleValue(), 0.01);
        // the root span's inputs and outputs are shown first
        assertTrue(browser.waitFor(".span-inputs").getText().contains("\"question\": \"What is 2 + 2?\""), texts(".span-inputs").toString());
        assertEquals("2 + 2 is 4.", browser.waitFor(".span-outputs").getText());
        // choosing a span shows its own
        browser.all(".span-row").get(1).click();
        browser.waitUntil("document.querySelector('.span-inputs').textContent.includes('\"query\"')");
        assertTrue(browser.waitFor(".span-outputs").getText().contains("arithmetic.md"));
        browser.all(".span-row").get(2).click();
        browser.waitUntil("document.querySelector('.span-outputs').textContent === '2 + 2 is 4.'");
        browser.screenshot("traces");
    }

    @Test
    void aFilterNarrowsTheListAndATraceWithoutSpanDataSaysSo() {
        browser.open("/experiments/" + experimentId + "/traces?filter=" + java.net.URLEncoder.encode("trace.status = 'OK'", java.nio.charset.StandardCharsets.UTF_8)
                + "&trace=" + BARE);
        browser.waitUntil("document.querySelectorAll('tr.trace-row').length === 2");
        assertEquals("trace.status = 'OK'", browser.waitFor("input.filter").getAttribute("value"));
        browser.waitUntil("document.querySelector('.trace-detail').textContent.includes('no span data')");
        // an error span is drawn as one
        browser.open("/experiments/" + experimentId + "/traces?trace=" + BROKEN);
        browser.waitUntil("document.querySelectorAll('.span-bar.error').length === 1");
        // a malformed filter is shown inline, as the runs page does
        browser.waitFor("input.filter").sendKeys("tags.x > 1\n");
        browser.waitUntil("document.querySelector('.filter-error').textContent.length > 0");
        assertTrue(browser.waitFor(".filter-error").getText().contains("tags.x"), browser.waitFor(".filter-error").getText());
        // the browser logs the search's 400 answer; that one is expected, nothing else is
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.stream().allMatch(e -> e.contains("/api/3.0/mlflow/traces/search") && e.contains("400")), errors.toString());
    }
}
