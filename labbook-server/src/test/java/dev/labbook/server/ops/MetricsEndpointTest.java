package dev.labbook.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.store.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped after real requests, its exposition text parsed as Prometheus reads it. */
class MetricsEndpointTest {
    private static final String RUNS_GET = "/api/2.0/mlflow/runs/get";
    private static final String LOG_BATCH = "/api/2.0/mlflow/runs/log-batch";
    private static final String REQUESTS = "http_server_requests_seconds_count";

    @TempDir
    Path tmp;

    @Test
    void requestsArePerRouteTemplateWithLatencyHistogramsPoolJvmAndIngestion() {
        try (OpsServer s = new OpsServer(tmp)) {
            String exp = s.api("experiments/create", "{\"name\":\"metrics\"}").get("experiment_id").asText();
            String run1 = runId(s, exp);
            String run2 = runId(s, exp);
            assertEquals(200, s.get(RUNS_GET + "?run_id=" + run1).statusCode());
            assertEquals(200, s.get(RUNS_GET + "?run_id=" + run2).statusCode());
            assertEquals(404, s.get(RUNS_GET + "?run_id=0123456789abcdef0123456789abcdef").statusCode());
            s.api("runs/log-batch", "{\"run_id\":\"" + run1 + "\",\"metrics\":["
                    + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":1},"
                    + "{\"key\":\"loss\",\"value\":0.4,\"timestamp\":2,\"step\":2},"
                    + "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":2,\"step\":2}],"
                    + "\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"},{\"key\":\"bs\",\"value\":\"32\"}],"
                    + "\"tags\":[{\"key\":\"team\",\"value\":\"a\"}]}");
            s.api("runs/log-metric", "{\"run_id\":\"" + run2 + "\",\"key\":\"loss\",\"value\":1,\"timestamp\":1}");
            s.api("runs/log-parameter", "{\"run_id\":\"" + run2 + "\",\"key\":\"lr\",\"value\":\"0.2\"}");
            s.api("runs/set-tag", "{\"run_id\":\"" + run2 + "\",\"key\":\"team\",\"value\":\"b\"}");
            // refused: nothing was stored, so nothing counts as ingested
            assertEquals(400, s.post(LOG_BATCH, "{\"run_id\":\"" + run1 + "\",\"metrics\":[{\"key\":\"x\"}]}").statusCode());
            assertEquals(404, s.get("/no/such/page/" + run1).statusCode());

            Exposition m = s.scrapeUntil(e -> e.valueOrZero(REQUESTS, "uri", "NOT_FOUND") == 1
                    && e.valueOrZero(REQUESTS, "uri", LOG_BATCH, "status", "400") == 1);

            assertEquals(2, m.value(REQUESTS, "method", "GET", "uri", RUNS_GET, "status", "200"));
            assertEquals(1, m.value(REQUESTS, "method", "GET", "uri", RUNS_GET, "status", "404"));
            assertEquals(2, m.value(REQUESTS, "method", "POST", "uri", "/api/2.0/mlflow/runs/create", "status", "200"));
            assertEquals(1, m.value(REQUESTS, "method", "POST", "uri", LOG_BATCH, "status", "200"));
            // a latency histogram per series: cumulative buckets up to +Inf, which holds them all
            List<Exposition.Sample> buckets = m.find("http_server_requests_seconds_bucket",
                    "method", "GET", "uri", RUNS_GET, "status", "200");
            assertTrue(buckets.size() >= 10, "buckets: " + buckets);
            assertEquals(2, m.value("http_server_requests_seconds_bucket",
                    "method", "GET", "uri", RUNS_GET, "status", "200", "le", "+Inf"));
            double previous = 0;
            for (Exposition.Sample b : buckets) {
                assertTrue(b.value() >= previous, "buckets are cumulative: " + buckets);
                previous = b.value();
            }
            assertTrue(m.value("http_server_requests_seconds_sum", "method", "GET", "uri", RUNS_GET, "status", "200") > 0);
            // no raw path became a label: no run id anywhere, unknown paths under one label
            for (Exposition.Sample sample : m.samples()) {
                for (String v : sample.labels().values()) {
                    assertFalse(v.contains(run1) || v.contains(run2) || v.contains("0123456789abcdef"),
                            "a raw id in a label: " + sample);
                }
            }
            // the scrape itself is being served while it counts
            assertTrue(m.value("http_server_requests_active") >= 1);

            // ingestion: what the logging endpoints stored (the refused batch added nothing)
            assertEquals(4, m.value("labbook_ingested_items_total", "kind", "metric"));
            assertEquals(3, m.value("labbook_ingested_items_total", "kind", "param"));
            assertEquals(2, m.value("labbook_ingested_items_total", "kind", "tag"));

            // the connection pool (HikariCP's Micrometer tracker), labelled with the pool's name
            String pool = TestDatabases.postgresql() ? "labbook-postgresql" : "labbook-sqlite";
            if (!TestDatabases.postgresql()) {
                assertEquals(4, m.value("hikaricp_connections_max", "pool", pool));
            }
            assertTrue(m.value("hikaricp_connections_max", "pool", pool) >= m.value("hikaricp_connections_min", "pool", pool));
            assertTrue(m.value("hikaricp_connections_acquire_seconds_count", "pool", pool) > 0);
            assertEquals(1, m.find("hikaricp_connections_active", "pool", pool).size());
            assertEquals(1, m.find("hikaricp_connections_pending", "pool", pool).size());

            // the JVM
            assertFalse(m.find("jvm_memory_used_bytes", "area", "heap").isEmpty());
            assertTrue(m.value("jvm_threads_live_threads") > 0);
            assertTrue(m.value("process_uptime_seconds") > 0);
            assertFalse(m.find("jvm_gc_memory_allocated_bytes_total").isEmpty());
        }
    }

    @Test
    void theExpositionIsPrometheusText() {
        try (OpsServer s = new OpsServer(tmp)) {
            HttpResponse<String> r = s.get("/metrics");
            assertEquals(200, r.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("# TYPE labbook_ingested_items_total counter"), r.body());
            assertTrue(r.body().contains("# TYPE http_server_requests_active gauge"), r.body());
        }
    }

    private static String runId(OpsServer s, String experimentId) {
        return s.api("runs/create", "{\"experiment_id\":\"" + experimentId + "\"}").get("run").get("info").get("run_id").asText();
    }
}
